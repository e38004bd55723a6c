metadata description = 'Orders: the cloud environment of the function app (Flex Consumption, Durable Functions), Cosmos DB, Service Bus, storage and monitoring. Identity-based connections only; no keys or connection strings anywhere.'

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------------
// Parameters (values per environment: parameters/dev.bicepparam, parameters/prod.bicepparam)
// ---------------------------------------------------------------------------------------------------------------------

@description('Environment name; part of every resource name.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Azure region of every regional resource.')
param location string = resourceGroup().location

@description('Short lowercase workload name (letters and digits), the first part of every resource name.')
@minLength(3)
@maxLength(10)
param workloadName string = 'orders'

@description('Upper bound of Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Memory of each Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Always-ready instances for the Durable triggers (orchestrations and activities).')
@minValue(0)
@maxValue(20)
param durableAlwaysReadyInstances int = 1

@description('Redundancy of the function app\'s storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Cosmos DB capacity model: Serverless or Autoscale (provisioned, shared by the database).')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosThroughputMode string = 'Serverless'

@description('Autoscale maximum RU/s of the orders database (used when cosmosThroughputMode is Autoscale).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 4000

@description('Whether the Cosmos DB region is zone redundant.')
param cosmosZoneRedundant bool = false

@description('Cosmos DB continuous backup tier.')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param cosmosBackupTier string = 'Continuous7Days'

@description('Service Bus tier; sessions and duplicate detection need Standard or Premium.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Service Bus Premium messaging units (ignored for Standard).')
@allowed([
  1
  2
  4
  8
  16
])
param serviceBusPremiumCapacity int = 1

@description('Duplicate detection window of the order-events and inbound topics (ISO 8601 duration).')
param serviceBusDuplicateDetectionWindow string = 'PT10M'

@description('Duplicate detection window of the requests topic: shorter than the sagas\' first re-send of an unanswered request (30 s), which has the same message id and must reach the other domain. Service Bus\' minimum is PT20S.')
param serviceBusRequestsDuplicateDetectionWindow string = 'PT20S'

@description('Request types (CloudEvents type) whose receiving domain has its own subscription on order-requests; requests of any other type are kept by the catch-all subscription and raise an alert (infra/README.md). Add a type once its domain subscribes.')
param serviceBusClaimedRequestTypes string[] = []

@description('Deliveries of a message before it is dead-lettered.')
@minValue(1)
param serviceBusMaxDeliveryCount int = 10

@description('Days Log Analytics keeps logs and metrics.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily ingestion cap of Log Analytics in GB; -1 for none.')
@minValue(-1)
param logDailyQuotaGb int = -1

@description('Whether alert rules are enabled (they are deployed either way).')
param alertsEnabled bool = true

@description('E-mail addresses that receive the alerts.')
param alertEmailAddresses string[]

@description('Application (client) id of the Entra ID app registration that represents the Orders API (created beforehand, see infra/README.md).')
param authClientId string

@description('Token audiences the API accepts: the client id (the aud of v2.0 access tokens) and the Application ID URI (the aud of v1.0 tokens).')
param authAllowedAudiences string[] = [
  authClientId
  'api://${authClientId}'
]

// ---------------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------------

@description('Tags applied to every resource.')
var tags = {
  workload: workloadName
  environment: environmentName
}

@description('Stable per resource group suffix that makes the globally unique names unique.')
var suffix = uniqueString(subscription().id, resourceGroup().id, workloadName, environmentName)

@description('Resource names.')
var resourceNames = {
  functionApp: 'func-${workloadName}-${environmentName}-${suffix}'
  identity: 'id-${workloadName}-${environmentName}-${suffix}'
  plan: 'asp-${workloadName}-${environmentName}-${suffix}'
  storage: take(toLower('st${workloadName}${environmentName}${suffix}'), 24)
  cosmos: 'cosmos-${workloadName}-${environmentName}-${suffix}'
  serviceBus: 'sb-${workloadName}-${environmentName}-${suffix}'
  workspace: 'log-${workloadName}-${environmentName}-${suffix}'
  appInsights: 'appi-${workloadName}-${environmentName}-${suffix}'
  alertPrefix: '${workloadName}-${environmentName}'
}

@description('Names the application code reads from its settings (local.settings.sample.json); the resources are created with exactly these names.')
var appNames = {
  cosmosDatabase: 'orders'
  ordersContainer: 'orders'
  readModelsContainer: 'read-models'
  leasesContainer: 'leases'
  orderEventsTopic: 'order-events'
  requestsTopic: 'order-requests'
  inboundTopic: 'order-integration-events'
  inboundSubscription: 'orders'
  downstreamSubscription: 'downstream-example'
  unclaimedRequestsSubscription: 'unclaimed'
  unclaimedRequestsQueue: 'order-requests-unclaimed'
  durableTaskHub: 'OrdersHub'
  deploymentContainer: 'app-package'
}

// ---------------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------------

module monitoring 'modules/monitoring.bicep' = {
  params: {
    location: location
    tags: tags
    workspaceName: resourceNames.workspace
    appInsightsName: resourceNames.appInsights
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

// The app's identity comes first: it is granted its roles (module roles) before the function app exists.
module identity 'modules/identity.bicep' = {
  params: {
    location: location
    tags: tags
    name: resourceNames.identity
  }
}

module storage 'modules/storage.bicep' = {
  params: {
    location: location
    tags: tags
    name: resourceNames.storage
    skuName: storageSku
    deploymentContainerName: appNames.deploymentContainer
  }
}

module cosmos 'modules/cosmos.bicep' = {
  params: {
    location: location
    tags: tags
    accountName: resourceNames.cosmos
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    zoneRedundant: cosmosZoneRedundant
    backupTier: cosmosBackupTier
    databaseName: appNames.cosmosDatabase
    ordersContainerName: appNames.ordersContainer
    readModelsContainerName: appNames.readModelsContainer
    leasesContainerName: appNames.leasesContainer
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  params: {
    location: location
    tags: tags
    namespaceName: resourceNames.serviceBus
    sku: serviceBusSku
    premiumCapacity: serviceBusPremiumCapacity
    orderEventsTopicName: appNames.orderEventsTopic
    requestsTopicName: appNames.requestsTopic
    inboundTopicName: appNames.inboundTopic
    inboundSubscriptionName: appNames.inboundSubscription
    downstreamSubscriptionName: appNames.downstreamSubscription
    unclaimedRequestsSubscriptionName: appNames.unclaimedRequestsSubscription
    unclaimedRequestsQueueName: appNames.unclaimedRequestsQueue
    claimedRequestTypes: serviceBusClaimedRequestTypes
    duplicateDetectionWindow: serviceBusDuplicateDetectionWindow
    requestsDuplicateDetectionWindow: serviceBusRequestsDuplicateDetectionWindow
    maxDeliveryCount: serviceBusMaxDeliveryCount
  }
}

// Every key of local.settings.sample.json "Values", with its cloud value (tests/Orders.Infra.Tests checks this), except:
//  - FUNCTIONS_WORKER_RUNTIME: Flex Consumption rejects it as an app setting; functionAppConfig.runtime
//    (modules/functionapp.bicep) declares dotnet-isolated 10.0 instead.
//  - AzureWebJobsStorage: given in its identity-based form, AzureWebJobsStorage__accountName + __credential + __clientId,
//    instead of a connection string. The Durable task hub (host.json: connectionName AzureWebJobsStorage) uses it too.
// Every identity-based connection names the user-assigned identity: __credential = managedidentity and __clientId
// (the host would otherwise look for a system-assigned identity, which the app does not have): AzureWebJobsStorage and
// ServiceBusConnection (the Service Bus trigger). The app's own clients (Cosmos DB, the Service Bus senders) use
// DefaultAzureCredential, which takes the identity from AZURE_CLIENT_ID.
// Plus the Application Insights settings: the connection string holds no secret (local auth is disabled on the
// component) and telemetry is sent with the identity's Entra ID token (ClientId=... names it).
// A deployment replaces the whole set: a setting added outside this file is removed by the next deployment.
@description('App settings of the function app.')
var appSettings = {
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  DurableTaskHubName: appNames.durableTaskHub
  Orders__Store: 'Cosmos'
  CosmosDb__Endpoint: cosmos.outputs.documentEndpoint
  CosmosDb__Database: appNames.cosmosDatabase
  CosmosDb__OrdersContainer: appNames.ordersContainer
  CosmosDb__ReadModelsContainer: appNames.readModelsContainer
  CosmosDb__LeasesContainer: appNames.leasesContainer
  ServiceBus__FullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBus__OrderEventsTopic: appNames.orderEventsTopic
  ServiceBus__RequestsTopic: appNames.requestsTopic
  ServiceBus__InboundTopic: appNames.inboundTopic
  ServiceBus__InboundSubscription: appNames.inboundSubscription
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.outputs.clientId
  AZURE_CLIENT_ID: identity.outputs.clientId
  Jobs__AutoCancelUnpaid__Schedule: '0 */5 * * * *'
  Jobs__DetectStuck__Schedule: '0 */15 * * * *'
  Jobs__Reconcile__Schedule: '0 0 * * * *'
  Jobs__ChangeFeed__Schedule: '*/1 * * * * *'
  Jobs__AutoClose__Schedule: '0 10 * * * *'
  Jobs__PurgeSagas__Schedule: '0 20 * * * *'
  Orders__UnpaidDeadline: '00:30:00'
  Orders__ReturnWindow: '14.00:00:00'
  Orders__IdempotencyRetention: '1.00:00:00'
  Auth__Mode: 'AppService'
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
}

module functionApp 'modules/functionapp.bicep' = {
  params: {
    location: location
    tags: tags
    name: resourceNames.functionApp
    planName: resourceNames.plan
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    identityId: identity.outputs.id
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    appSettings: appSettings
    authClientId: authClientId
    authAllowedAudiences: authAllowedAudiences
  }
  // The roles first: the app's first start (host storage, Durable task hub) and its first package fetch already run
  // with them, instead of racing their assignment.
  dependsOn: [
    roles
  ]
}

module roles 'modules/roles.bicep' = {
  params: {
    principalId: identity.outputs.principalId
    principalName: resourceNames.identity
    storageAccountName: resourceNames.storage
    serviceBusNamespaceName: resourceNames.serviceBus
    cosmosAccountName: resourceNames.cosmos
    cosmosDatabaseName: appNames.cosmosDatabase
    appInsightsName: resourceNames.appInsights
  }
  // Names are passed as known-at-start values, so role assignment ids are stable and what-if can show them; the modules
  // that create the resources they name are explicit dependencies. Nothing here depends on the function app.
  dependsOn: [
    storage
    serviceBus
    cosmos
    monitoring
  ]
}

module diagnostics 'modules/diagnostics.bicep' = {
  params: {
    workspaceId: monitoring.outputs.workspaceId
    functionAppName: resourceNames.functionApp
    cosmosAccountName: resourceNames.cosmos
    serviceBusNamespaceName: resourceNames.serviceBus
  }
  // Known-at-start names (see roles); the modules that create the resources are explicit dependencies.
  dependsOn: [
    functionApp
    cosmos
    serviceBus
  ]
}

module alerts 'modules/alerts.bicep' = {
  params: {
    location: location
    tags: tags
    namePrefix: resourceNames.alertPrefix
    alertsEnabled: alertsEnabled
    alertEmailAddresses: alertEmailAddresses
    serviceBusNamespaceId: serviceBus.outputs.namespaceId
    unclaimedRequestsQueueName: serviceBus.outputs.unclaimedRequestsQueueName
    appInsightsId: monitoring.outputs.appInsightsId
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------------

@description('Base URL of the Orders API (HTTP functions use the route prefix "api", host.json).')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Name of the function app (target of the zip deployment).')
output functionAppName string = functionApp.outputs.name

@description('Cosmos DB document endpoint.')
output cosmosEndpoint string = cosmos.outputs.documentEndpoint

@description('Client id of the app\'s user-assigned identity.')
output identityClientId string = identity.outputs.clientId

@description('Service Bus fully qualified namespace.')
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace
