/**
 * Baseline (b): the Express endpoint Stripe's docs show users ("Handle payment events",
 * "Webhook endpoint builder"): express.raw + stripe.webhooks.constructEvent + a switch on the
 * type + res.send(). The sample's console.log calls are left out so terminal I/O does not slow
 * the baseline down: that makes it a harder baseline to beat, not an easier one.
 */
import { createServer } from 'node:http';
import express from 'express';
import Stripe from 'stripe';
import { listenLoopback, serveBench } from './serve-bench.js';

serveBench(async ({ secret }) => {
  const stripe = new Stripe('sk_test_bench');
  const app = express();
  app.post('/webhook', express.raw({ type: 'application/json' }), (request, response) => {
    const signature = request.headers['stripe-signature'];
    let event;
    try {
      event = stripe.webhooks.constructEvent(request.body, signature, secret);
    } catch (error) {
      response.status(400).send(`Webhook Error: ${error.message}`);
      return;
    }
    switch (event.type) {
      case 'payment_intent.succeeded': {
        const paymentIntent = event.data.object;
        void paymentIntent;
        break;
      }
      case 'payment_method.attached': {
        const paymentMethod = event.data.object;
        void paymentMethod;
        break;
      }
      default:
        break;
    }
    response.send();
  });
  // app.listen would bind every interface; the bench stays on loopback.
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  return listenLoopback(server);
});
