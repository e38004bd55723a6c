metadata description = 'Log Analytics workspace and a workspace-based Application Insights component that only accepts Entra ID (AAD) authenticated telemetry.'

@description('Azure region of the resources.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Days the workspace keeps logs and metrics.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Daily ingestion cap of the workspace in GB; -1 means no cap.')
@minValue(-1)
param dailyQuotaGb int

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Telemetry must carry an Entra ID token (the app sets APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD
    // and its identity holds Monitoring Metrics Publisher); the instrumentation key alone is not enough to ingest.
    DisableLocalAuth: true
  }
}

@description('Resource id of the Log Analytics workspace (destination of the diagnostic settings).')
output workspaceId string = workspace.id

@description('Name of the Application Insights component.')
output appInsightsName string = appInsights.name

@description('Resource id of the Application Insights component (scope of the log alerts).')
output appInsightsId string = appInsights.id

@description('Application Insights connection string: an ingestion endpoint and a non-secret instrumentation key; local auth is disabled, so it only works with an Entra ID token.')
output appInsightsConnectionString string = appInsights.properties.ConnectionString
