/** The web frameworks whose raw-body fix webhook-dev knows; docs/forwarding.md has each in full. */
export type Framework = 'express' | 'fastify' | 'hono' | 'koa' | 'next' | 'nestjs' | 'flask' | 'django';

/**
 * How each framework gets the exact bytes to the Stripe library: one line each, checked against
 * real apps (Express, Fastify, Hono, Koa and Flask in the end-to-end tests; Next.js and NestJS by
 * hand, see docs/forwarding.md).
 */
export const RAW_BODY_FIXES: Readonly<Record<Framework, string>> = {
  express:
    "Express: give the webhook route express.raw({ type: 'application/json' }) and register it before app.use(express.json()); pass req.body (a Buffer) to constructEvent.",
  fastify:
    "Fastify: register fastify-raw-body and put config: { rawBody: true } on the webhook route, then verify request.rawBody (without that route option it is undefined: \"No webhook payload was provided\").",
  hono: 'Hono: verify await c.req.text(), never JSON.stringify(await c.req.json()): re-serialized JSON is not the signed bytes.',
  koa: 'Koa: koa-bodyparser replaces the body with a parsed object: verify ctx.request.rawBody (the string it keeps), or leave the webhook route out of the parser and read the bytes with raw-body: await getRawBody(ctx.req).',
  next:
    "Next.js: App Router, read await req.text() (not req.json()) in the route handler; Pages Router, export const config = { api: { bodyParser: false } } and read the raw body from the request stream.",
  nestjs: 'NestJS: create the app with NestFactory.create(AppModule, { rawBody: true }) and verify req.rawBody (RawBodyRequest<Request>), not the @Body() object.',
  flask: 'Flask: verify request.get_data() (the bytes), not request.get_json() or json.dumps() of it.',
  django: 'Django: verify request.body (the bytes), not json.loads() of it; and mark the view @csrf_exempt.',
};

/** Where the docs explain the framework's fix at length. */
export const FRAMEWORK_DOCS = 'docs/forwarding.md';

export const FRAMEWORK_NAMES: Readonly<Record<Framework, string>> = {
  express: 'Express',
  fastify: 'Fastify',
  hono: 'Hono',
  koa: 'Koa',
  next: 'Next.js',
  nestjs: 'NestJS',
  flask: 'Flask',
  django: 'Django',
};
