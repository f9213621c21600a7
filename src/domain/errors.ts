/** Typed errors raised by repositories and handlers; the error handler maps each to its plane's format. */

export interface FieldProblem {
  path: string;
  message: string;
}

/** Admin plane: a request that cannot be carried out as asked (HTTP 400). */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** Admin plane: the resource does not exist (HTTP 404). */
export class NotFoundError extends Error {
  constructor(resource: string, id: string | number) {
    super(`${resource} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}

/** Admin plane: the request conflicts with the current state (HTTP 409). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Admin plane: the admin token is missing or wrong (HTTP 401). */
export class UnauthorizedError extends Error {
  constructor(message = 'A valid admin token is required: send Authorization: Bearer <ADMIN_TOKEN>') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** Marketo plane: a response-level error, answered HTTP 200 with success:false (error-codes.md). */
export class MarketoError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    // An answer, not a fault: no stack trace to capture (a third of the cost of a 601 or 603).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.name = 'MarketoError';
  }
}

/** Identity endpoint: an OAuth2 error answered with its own HTTP status and {error, error_description}. */
export class OAuthError extends Error {
  constructor(
    readonly statusCode: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** The request URI is over Marketo's 8 KB limit: HTTP 414 on every plane (error-codes.md). */
export class UriTooLongError extends Error {
  readonly statusCode = 414;
  constructor() {
    super('Request-URI Too Long');
    this.name = 'UriTooLongError';
  }
}
