metadata description = 'Diagnostic settings: the function app\'s, Cosmos DB\'s and Service Bus\'s logs and metrics go to the Log Analytics workspace.'

@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Name of the function app.')
param functionAppName string

@description('Name of the Cosmos DB account.')
param cosmosAccountName string

@description('Name of the Service Bus namespace.')
param serviceBusNamespaceName string

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2026-03-15' existing = {
  name: cosmosAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

// Why a preview API version: the only GA version of Microsoft.Insights/diagnosticSettings in Bicep's type library
// (2016-09-01) is the legacy subscription-level "service" setting, which cannot be attached to a resource nor use
// category groups. 2021-05-01-preview is the version Azure Monitor documents for resource diagnostic settings.
#disable-next-line use-recent-api-versions
resource functionAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// Same reason for the preview API version as above.
#disable-next-line use-recent-api-versions
resource cosmosDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: cosmos
  properties: {
    workspaceId: workspaceId
    // Resource-specific tables (CDBDataPlaneRequests, CDBQueryRuntimeStatistics, ...) instead of AzureDiagnostics.
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Requests'
        enabled: true
      }
    ]
  }
}

// Same reason for the preview API version as above.
#disable-next-line use-recent-api-versions
resource serviceBusDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: serviceBus
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}
