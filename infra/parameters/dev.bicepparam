// Development environment: smallest production-shaped footprint (serverless Cosmos DB, Standard Service Bus, one
// always-ready Durable instance), alert rules deployed but disabled.
// Required environment variables (never committed): ORDERS_AUTH_CLIENT_ID, ORDERS_ALERT_EMAIL (see infra/README.md).
using '../main.bicep'

param environmentName = 'dev'
param location = 'northeurope'

param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param durableAlwaysReadyInstances = 1

param storageSku = 'Standard_LRS'

param cosmosThroughputMode = 'Serverless'
param cosmosZoneRedundant = false
param cosmosBackupTier = 'Continuous7Days'

param serviceBusSku = 'Standard'
param serviceBusDuplicateDetectionWindow = 'PT10M'
param serviceBusRequestsDuplicateDetectionWindow = 'PT20S'
param serviceBusMaxDeliveryCount = 10

param logRetentionInDays = 30
param logDailyQuotaGb = 1

param alertsEnabled = false
param alertEmailAddresses = [
  readEnvironmentVariable('ORDERS_ALERT_EMAIL')
]

param authClientId = readEnvironmentVariable('ORDERS_AUTH_CLIENT_ID')
