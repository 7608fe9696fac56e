import type { RequestHandler } from 'express';

/** The body of a refused batch: the shape of a GraphQL error response, with the limit's numbers. */
export interface BatchLimitErrorBody {
  errors: [
    {
      message: string;
      extensions: { code: 'BAD_USER_INPUT'; limit: 'batchSize'; max: number; actual: number };
    },
  ];
}

/**
 * Creates the Express middleware that refuses a batched request (a JSON array of operations)
 * holding more than `maxBatchSize` operations, with 400 and a {@link BatchLimitErrorBody}. Mount
 * it after `express.json()` and before Apollo Server's middleware: refused batches never reach
 * GraphQL. Each operation of an accepted batch still counts against the rate limits.
 */
export function createBatchLimitMiddleware(maxBatchSize: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (!Array.isArray(body) || body.length <= maxBatchSize) {
      next();
      return;
    }
    const refusal: BatchLimitErrorBody = {
      errors: [
        {
          message: `The request batches ${body.length} operations; the limit is ${maxBatchSize}. Send the rest in another request.`,
          extensions: {
            code: 'BAD_USER_INPUT',
            limit: 'batchSize',
            max: maxBatchSize,
            actual: body.length,
          },
        },
      ],
    };
    res.status(400).json(refusal);
  };
}
