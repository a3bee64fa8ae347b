import routesFile from './order-to-ship.routes.json';

/** A route: an EventBridge event pattern and the one target it feeds (a queue or a function from lambdas/manifest.ts). */
export interface Route {
  readonly id: string;
  readonly description: string;
  readonly eventPattern: Record<string, unknown>;
  readonly target: { readonly queue: string } | { readonly function: string };
}

/** Routes of the order-to-ship workflow, shared by the CDK app and the local bus. */
export const orderToShipRoutes: readonly Route[] = routesFile.routes as Route[];
