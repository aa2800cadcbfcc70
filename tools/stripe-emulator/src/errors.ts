/** Stripe's error object, and the HTTP status stripe-node maps to each of its error classes. */
export interface StripeErrorFields {
  code?: string;
  param?: string;
  decline_code?: string;
  payment_intent?: unknown;
  charge?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: StripeErrorFields = {},
  ) {
    super(message);
  }

  body(requestId: string) {
    const { code, param, decline_code, payment_intent, charge } = this.fields;
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}),
        ...(param ? { param } : {}),
        ...(decline_code ? { decline_code } : {}),
        ...(charge ? { charge } : {}),
        ...(payment_intent ? { payment_intent } : {}),
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
      },
    };
  }
}

export const invalidRequest = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, 'invalid_request_error', message, { ...(param ? { param } : {}), ...(code ? { code } : {}) });

export const missingParam = (param: string) => invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');

export const noSuch = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });

export const authenticationError = (message: string) => new StripeApiError(401, 'invalid_request_error', message);

export const idempotencyError = (message: string, status = 400) => new StripeApiError(status, 'idempotency_error', message);
