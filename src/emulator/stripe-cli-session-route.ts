/**
 * `POST /v1/stripecli/sessions`: what `stripe listen` asks for first. The answer tells the CLI
 * where the websocket is, the signing secret to print, how often to reset the socket and which
 * API version to announce (see the CLI's pkg/stripeauth).
 */
import type { ApiRoute } from './api-router.js';
import { randomAlnum } from './ids.js';
import type { SessionHub } from './session-hub.js';

export const WEBSOCKET_PATH = '/stripecli/websocket';
/** The feature name the CLI echoes back as `?websocket_feature=` when it connects. */
export const WEBSOCKET_FEATURE = 'webhook-payloads';

export interface StripeCliSessionRouteOptions {
  hub: SessionHub;
  /** `ws://127.0.0.1:PORT`, known once the server listens. */
  websocketBase: () => string;
  /** Read per session: a test fault can change it (emulator-faults.ts). */
  secret: () => string;
  apiVersion: string;
  reconnectDelaySeconds: number;
  /** A test fault: refuse this session (HTTP 400, which the CLI does not retry). */
  refuse?: () => boolean;
}

export function stripeCliSessionRoute({ hub, websocketBase, secret, apiVersion, reconnectDelaySeconds, refuse }: StripeCliSessionRouteOptions): ApiRoute {
  return {
    method: 'POST',
    path: '/v1/stripecli/sessions',
    handler({ form }) {
      if (refuse?.() === true) return { status: 400, body: { error: { type: 'invalid_request_error', message: 'The offline emulator refuses new Stripe CLI sessions for now (a test fault).' } } };
      const features = form['websocket_features'];
      const { websocketId } = hub.createSession(Array.isArray(features) ? features.filter((feature): feature is string => typeof feature === 'string') : []);
      return {
        status: 200,
        body: {
          websocket_url: `${websocketBase()}${WEBSOCKET_PATH}`,
          websocket_id: websocketId,
          websocket_authorized_feature: WEBSOCKET_FEATURE,
          secret: secret(),
          reconnect_delay: reconnectDelaySeconds,
          default_version: apiVersion,
          latest_version: apiVersion,
          display_connect_filter_warning: false,
          device_token: randomAlnum(32),
        },
      };
    },
  };
}
