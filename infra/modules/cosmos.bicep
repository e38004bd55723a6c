metadata description = 'Cosmos DB (NoSQL) account, the orders database and its three containers. Local (key) auth is disabled: the app uses its managed identity and the built-in data contributor role.'

@description('Azure region of the account (single write region).')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Cosmos DB account name (3-44 lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(44)
param accountName string

@description('Serverless (pay per request, good for dev) or provisioned autoscale throughput shared by the database.')
@allowed([
  'Serverless'
  'Autoscale'
])
param throughputMode string

@description('Autoscale maximum RU/s of the database (ignored when serverless).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Whether the region is zone redundant.')
param zoneRedundant bool

@description('Continuous backup tier (point-in-time restore window).')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param backupTier string

@description('Database name (CosmosDb__Database).')
param databaseName string

@description('Container of order documents, event documents and idempotency records (CosmosDb__OrdersContainer).')
param ordersContainerName string

@description('Container of the read models (CosmosDb__ReadModelsContainer).')
param readModelsContainerName string

@description('Container of change feed checkpoints (CosmosDb__LeasesContainer).')
param leasesContainerName string

resource account 'Microsoft.DocumentDB/databaseAccounts@2026-03-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    // Session: each instance reads its own writes. What the store decides on (loads, state reads, idempotency records,
    // inbox, leases) it reads at ReadConsistencyStrategy.LatestCommitted, a quorum read of the latest write committed in
    // the region, whichever instance wrote it (decision 0042). That holds with this one location: a read region or
    // multi-region writes need the decision revisited (the infra checker refuses both).
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    capabilities: throughputMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: backupTier
      }
    }
    // Entra ID only: no account keys, no resource tokens; control-plane changes only through ARM.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2026-03-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: throughputMode == 'Autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

// Indexing: every container excludes "/*" and includes only the paths its queries filter or sort on. Writes then pay
// for few index terms (event documents are write-heavy), and a query that sorts on a path not listed here fails
// instead of silently scanning: whoever adds a query adds its paths here. `id` and `_ts` are always indexed.
//
// orders (partition key /orderId): the order document (type 'order'), one immutable event document per domain event
// (type 'event', per-order `sequence`) and idempotency records (type 'idempotency', per-item `ttl`).
// The paths and the composite index match CosmosContainers.cs (the code's single source; a test compares them):
//   - in-partition replay of an order's events:        WHERE c.type = 'event' ORDER BY c.sequence
//   - jobs (auto-cancel unpaid, detect stuck, reconcile, auto-close; cross-partition):
//                                                      WHERE c.type = 'order' AND c.status IN (...) ORDER BY c.createdAt, c.orderId
//   - idempotency records are point reads and expire through their own `ttl` (defaultTtl -1: TTL on, nothing expires
//     unless the item says so); the bounded purge sweeps          WHERE c.type = 'idempotency' AND c.expiresAt <= @now
resource ordersContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2026-03-15' = {
  parent: database
  name: ordersContainerName
  properties: {
    resource: {
      id: ordersContainerName
      partitionKey: {
        paths: [
          '/orderId'
        ]
        kind: 'Hash'
        version: 2
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/type/?' }
          { path: '/status/?' }
          { path: '/createdAt/?' }
          { path: '/buyerId/?' }
          { path: '/sequence/?' }
          { path: '/orderId/?' }
          { path: '/expiresAt/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
        compositeIndexes: [
          [
            { path: '/createdAt', order: 'ascending' }
            { path: '/orderId', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

// read-models (partition key /partitionKey): projections partitioned by what they are read by
// ('order:<orderId>', 'buyer:<buyerId>', 'seller:<sellerId>', and 'stuck-orders' for the stuck-order log), so every
// query stays in one logical partition (src/Orders.Adapters.Azure/Cosmos/ReadModels, CosmosReadModelContainer declares
// the same policy):
//   - buyer / seller order list, newest first, optional status filter, keyset continuation:
//       WHERE c.type = @type [AND c.status = @status] [AND (c.createdAt < @t OR (c.createdAt = @t AND c.orderId > @id))]
//       ORDER BY c.createdAt DESC, c.orderId ASC
//   - seller dashboard: totals  WHERE c.type = @type GROUP BY c.status, c.currency
//                       waiting WHERE c.type = @type AND IS_DEFINED(c.readySince) ORDER BY c.readySince ASC, c.orderId ASC
//                       late    WHERE c.type = @type AND c.readySince < @before
//   - stuck-order log:  WHERE c.type = @type ORDER BY c.detectedAt ASC, c.orderId ASC
//   - order detail, list items and stuck entries by id are point reads.
//   Each multi-property ORDER BY has its composite index (the service refuses such a query without one).
//   buyerId and sellerId are indexed for support queries across partitions.
resource readModelsContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2026-03-15' = {
  parent: database
  name: readModelsContainerName
  properties: {
    resource: {
      id: readModelsContainerName
      partitionKey: {
        paths: [
          '/partitionKey'
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          { path: '/type/?' }
          { path: '/status/?' }
          { path: '/createdAt/?' }
          { path: '/orderId/?' }
          { path: '/readySince/?' }
          { path: '/detectedAt/?' }
          { path: '/buyerId/?' }
          { path: '/sellerId/?' }
        ]
        excludedPaths: [
          { path: '/*' }
        ]
        compositeIndexes: [
          [
            { path: '/createdAt', order: 'descending' }
            { path: '/orderId', order: 'ascending' }
          ]
          [
            { path: '/readySince', order: 'ascending' }
            { path: '/orderId', order: 'ascending' }
          ]
          [
            { path: '/detectedAt', order: 'ascending' }
            { path: '/orderId', order: 'ascending' }
          ]
        ]
      }
    }
  }
}

// leases (partition key /id): change feed checkpoints and the inbox of handled inbound events ('inbox:<eventId>'), read
// and written by id only (the change feed processor's lease store also filters on id, which is always indexed), so
// nothing else is indexed. defaultTtl -1: TTL on, nothing expires unless it says so; inbox documents carry their own
// `ttl` (they only need to outlive a redelivery), checkpoints none.
resource leasesContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2026-03-15' = {
  parent: database
  name: leasesContainerName
  properties: {
    resource: {
      id: leasesContainerName
      partitionKey: {
        paths: [
          '/id'
        ]
        kind: 'Hash'
        version: 2
      }
      defaultTtl: -1
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: []
        excludedPaths: [
          { path: '/*' }
        ]
      }
    }
  }
}

@description('Name of the Cosmos DB account.')
output accountName string = account.name

@description('Document endpoint of the account (CosmosDb__Endpoint).')
output documentEndpoint string = account.properties.documentEndpoint

