import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface WorkflowStoreProps {
  /**
   * Keep the table: deletion protection on and RemovalPolicy.RETAIN. `false` (development
   * stacks only) lets `cdk destroy` delete it with the data.
   * @default true
   */
  readonly retainData?: boolean;
}

/** Names of the workflow store's keys and indexes, as the handlers use them. */
export const storeKeys = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Open exceptions by owner: `OWNER#<team>` / `<dueAt>#<exceptionId>`. */
  ownerIndex: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** Orders by status, for the reconciler: `STATUS#<status>` / `<updatedAt>#<orderId>`. */
  statusIndex: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ttlAttribute: 'expiresAt',
} as const;

/**
 * The workflow store: one DynamoDB table holding each order's current state, its append-only
 * event log, waits (task tokens, with TTL) and open exceptions. On-demand, point-in-time
 * recovery, encrypted with the AWS managed key.
 */
export class WorkflowStore extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: WorkflowStoreProps = {}) {
    super(scope, id);
    const retain = props.retainData ?? true;
    const S = dynamodb.AttributeType.STRING;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: storeKeys.partitionKey, type: S },
      sortKey: { name: storeKeys.sortKey, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: storeKeys.ttlAttribute,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of [storeKeys.ownerIndex, storeKeys.statusIndex]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: S },
        sortKey: { name: index.sortKey, type: S },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
