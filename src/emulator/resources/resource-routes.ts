/**
 * Every emulated Stripe API resource, as rows for the API router. Each family lives in its own
 * file; they share the object store, the test-card registry and the emitter.
 */
import type { ApiRoute } from '../api-router.js';
import { accountRoutes } from './accounts.js';
import { billingMeterRoutes } from './billing-meters.js';
import { billingPortalRoutes } from './billing-portal.js';
import { chargeRefundDisputeRoutes } from './charges-refunds-disputes.js';
import { cashBalanceRoutes } from './cash-balance.js';
import { checkoutRoutes } from './checkout.js';
import { customerSourceRoutes } from './customer-sources.js';
import { couponRoutes } from './coupons.js';
import { creditNoteRoutes } from './credit-notes.js';
import { customerRoutes } from './customers.js';
import { identityRoutes } from './identity.js';
import { invoiceRoutes } from './invoices.js';
import { issuingRoutes } from './issuing.js';
import { paymentIntentRoutes } from './payment-intents.js';
import { paymentLinkRoutes } from './payment-links.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { payoutRoutes } from './payouts.js';
import { planRoutes } from './plans.js';
import { productPriceRoutes } from './products-prices.js';
import { reportingRoutes } from './reporting.js';
import { toApiRoutes, type ResourceRouteOptions } from './resource-scope.js';
import { setupIntentRoutes } from './setup-intents.js';
import { quoteRoutes } from './quotes.js';
import { subscriptionScheduleRoutes } from './subscription-schedules.js';
import { subscriptionRoutes } from './subscriptions.js';
import { topupRoutes } from './topups.js';
import { transferRoutes } from './transfers.js';
import { taxRateRoutes } from './tax-rates.js';
import { testClockRoutes } from './test-clocks.js';

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
      // Billing beyond invoices and subscriptions.
      ...couponRoutes(),
      ...planRoutes(),
      ...taxRateRoutes(),
      ...billingPortalRoutes(),
      ...billingMeterRoutes(),
      ...paymentLinkRoutes(),
      ...creditNoteRoutes(),
      ...testClockRoutes(),
      ...subscriptionScheduleRoutes(),
      ...quoteRoutes(),
    ],
    options,
  );
}
