metadata description = 'The function app\'s user-assigned managed identity. It exists, and holds its data roles (modules/roles.bicep), before the app is created, so the app\'s first start and first package fetch already have access.'

@description('Azure region of the identity.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Name of the identity.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity (assigned to the function app, and the deployment storage authentication).')
output id string = identity.id

@description('Name of the identity.')
output name string = identity.name

@description('Object (principal) id of the identity: the principal of every role assignment.')
output principalId string = identity.properties.principalId

@description('Client id of the identity: what each identity-based connection of the app names in its __clientId setting.')
output clientId string = identity.properties.clientId
