metadata description = 'Data-plane role assignments of the function app\'s user-assigned identity: everything the app reaches, it reaches as that identity. Deployed before the app (main.bicep), so the roles are in place at its first start.'

@description('Object (principal) id of the function app\'s user-assigned identity.')
param principalId string

@description('Name of the user-assigned identity; seeds the role assignment names, which must be known before deployment.')
param principalName string

@description('Storage account of the Functions host, the Durable task hub and the deployment package.')
param storageAccountName string

@description('Service Bus namespace the app publishes to and receives from.')
param serviceBusNamespaceName string

@description('Cosmos DB account of the orders database.')
param cosmosAccountName string

@description('Cosmos DB database the app reads and writes.')
param cosmosDatabaseName string

@description('Application Insights component the app sends Entra ID authenticated telemetry to.')
param appInsightsName string

// Built-in Azure RBAC role definition ids (the same in every tenant).
@description('Built-in role definition ids used below.')
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Cosmos DB data-plane roles are not Azure RBAC roles: they are sqlRoleDefinitions of the account.
@description('Cosmos DB Built-in Data Contributor (data-plane role of every account).')
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2026-03-15' existing = {
  name: cosmosAccountName

  resource dataContributor 'sqlRoleDefinitions' existing = {
    name: cosmosDataContributorRoleId
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Functions host (AzureWebJobsStorage__*) and Durable task hub: blobs (leases, large messages, deployment package),
// queues (control and work-item queues), tables (history and instances).
resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalName, roleIds.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataOwner)
  }
}

resource storageQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalName, roleIds.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor)
  }
}

resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalName, roleIds.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
  }
}

// Namespace scope: the relay publishes to order-events, the inbound handler receives from order-integration-events,
// and outbound requests to other systems may use further topics of the same namespace.
resource serviceBusDataSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, principalName, roleIds.serviceBusDataSender)
  scope: serviceBus
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataSender)
  }
}

resource serviceBusDataReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus.id, principalName, roleIds.serviceBusDataReceiver)
  scope: serviceBus
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.serviceBusDataReceiver)
  }
}

// Application Insights with local auth disabled accepts telemetry only from identities holding this role.
resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalName, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
  }
}

// Scoped to the orders database: its containers and nothing else in the account. Cosmos data-plane scopes are paths
// below the account ('/dbs/<database>'), not ARM ids of sqlDatabases.
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2026-03-15' = {
  parent: cosmos
  name: guid(cosmos.id, principalName, cosmosDataContributorRoleId)
  properties: {
    principalId: principalId
    roleDefinitionId: cosmos::dataContributor.id
    scope: '${cosmos.id}/dbs/${cosmosDatabaseName}'
  }
}
