metadata description = 'The Orders function app on the Flex Consumption plan: .NET 10 isolated worker, a user-assigned identity (granted its roles before the app exists), identity-based storage for deployments and the Durable task hub, App Service authentication (Entra ID) in front of every HTTP function.'

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Function app name (also its default host name prefix).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('URL of the blob container that receives the deployment package.')
param deploymentContainerUrl string

@description('Upper bound of instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Resource id of the user-assigned identity the app runs as (modules/identity.bicep); its roles are granted before this module runs.')
param identityId string

@description('Always-ready instances for the Durable triggers group (orchestrations, activities, entities), so sagas do not wait for a cold start.')
@minValue(0)
param durableAlwaysReadyInstances int

@description('App settings of the function app, name to value. No secrets: every connection is identity-based.')
param appSettings { *: string }

@description('Application (client) id of the Entra ID app registration that callers request tokens for.')
param authClientId string

@description('Audiences accepted in the bearer tokens of callers.')
param authAllowedAudiences string[]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  // User-assigned, not system-assigned: a system-assigned identity exists only once the site does, so its roles would
  // be granted after the app's first start and first package fetch (403s on a first deployment). This one is created
  // and granted its roles first (main.bicep: functionApp depends on roles).
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: [
          {
            name: 'durable'
            instanceCount: durableAlwaysReadyInstances
          }
        ]
      }
      // The worker runtime lives here on Flex Consumption: FUNCTIONS_WORKER_RUNTIME is rejected as an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Settings live in their own resource so they can be read and diffed on their own. A deployment REPLACES the whole
// set: a setting added by hand in the portal or with `az functionapp config appsettings set` is deleted by the next
// deployment (infra/README.md, first deployment). Every setting belongs in main.bicep.
resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

// App Service authentication: the platform validates the Entra ID bearer token and is the only one that can set
// X-MS-CLIENT-PRINCIPAL (it strips the header from incoming requests); anonymous calls get 401, never reach the code.
// No excludedPaths: GET /api/openapi.yaml needs a token too (docs/decisions/0014): it lists every operation, operator
// ones included, its callers hold tokens anyway, and the same document is in the repository
// (src/Orders.Contracts/apis/orders.v1.yaml) for anyone building a client.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        // Both forms of the audience: v2.0 access tokens carry the client id as `aud`, v1.0 tokens the Application ID
        // URI (api://<client id>); main.bicep lists both by default.
        validation: {
          allowedAudiences: authAllowedAudiences
        }
      }
    }
  }
}

// No publishing with user names and passwords: deployments authenticate with Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = site.name

@description('Resource id of the function app.')
output id string = site.id

@description('Default host name of the function app.')
output defaultHostName string = site.properties.defaultHostName
