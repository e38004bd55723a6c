// Production: zone-redundant storage and Cosmos DB, provisioned autoscale throughput, Premium Service Bus, two
// always-ready Durable instances, 90 days of logs, alerts on.
// Required environment variables (never committed): ORDERS_AUTH_CLIENT_ID, ORDERS_ALERT_EMAIL (see infra/README.md).
using '../main.bicep'

param environmentName = 'prod'
param location = 'northeurope'

param functionMaximumInstanceCount = 200
param functionInstanceMemoryMB = 2048
param durableAlwaysReadyInstances = 2

param storageSku = 'Standard_ZRS'

param cosmosThroughputMode = 'Autoscale'
param cosmosAutoscaleMaxThroughput = 10000
param cosmosZoneRedundant = true
param cosmosBackupTier = 'Continuous30Days'

param serviceBusSku = 'Premium'
param serviceBusPremiumCapacity = 1
param serviceBusDuplicateDetectionWindow = 'PT10M'
param serviceBusRequestsDuplicateDetectionWindow = 'PT20S'
param serviceBusMaxDeliveryCount = 10

param logRetentionInDays = 90
param logDailyQuotaGb = -1

param alertsEnabled = true
param alertEmailAddresses = [
  readEnvironmentVariable('ORDERS_ALERT_EMAIL')
]

param authClientId = readEnvironmentVariable('ORDERS_AUTH_CLIENT_ID')
