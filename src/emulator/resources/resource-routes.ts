/**
 * Every emulated Stripe API resource, as rows for the API router. Each family lives in its own
 * file; they share the object store, the test-card registry and the emitter.
 */
import type { ApiRoute } from '../api-router.js';
import { accountRoutes } from './accounts.js';
import { chargeRefundDisputeRoutes } from './charges-refunds-disputes.js';
import { cashBalanceRoutes } from './cash-balance.js';
import { checkoutRoutes } from './checkout.js';
import { customerSourceRoutes } from './customer-sources.js';
import { customerRoutes } from './customers.js';
import { identityRoutes } from './identity.js';
import { invoiceRoutes } from './invoices.js';
import { issuingRoutes } from './issuing.js';
import { paymentIntentRoutes } from './payment-intents.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { payoutRoutes } from './payouts.js';
import { productPriceRoutes } from './products-prices.js';
import { reportingRoutes } from './reporting.js';
import { toApiRoutes, type ResourceRouteOptions } from './resource-scope.js';
import { setupIntentRoutes } from './setup-intents.js';
import { subscriptionRoutes } from './subscriptions.js';
import { topupRoutes } from './topups.js';
import { transferRoutes } from './transfers.js';

export function resourceRoutes(options: ResourceRouteOptions): ApiRoute[] {
  return toApiRoutes(
    [
      ...customerRoutes(),
      ...paymentMethodRoutes(),
      ...paymentIntentRoutes(),
      ...chargeRefundDisputeRoutes(),
      ...setupIntentRoutes(),
      ...productPriceRoutes(),
      ...invoiceRoutes(),
      ...subscriptionRoutes(),
      ...checkoutRoutes(),
      ...issuingRoutes(),
      ...accountRoutes(),
      ...transferRoutes(),
      ...payoutRoutes(),
      ...topupRoutes(),
      ...customerSourceRoutes(),
      ...cashBalanceRoutes(),
      ...identityRoutes(),
      ...reportingRoutes(),
    ],
    options,
  );
}
