metadata description = 'Service Bus namespace (Standard or Premium: sessions and duplicate detection need Standard or above) with the outbound order-events topic, the outbound order-requests topic (and its catch-all for requests no domain takes yet) and the inbound order-integration-events topic. Local (SAS) auth is disabled.'

@description('Azure region of the namespace.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Namespace name (6-50 letters, digits, hyphens).')
@minLength(6)
@maxLength(50)
param namespaceName string

@description('Standard or Premium; sessions and duplicate detection are not available on Basic.')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('Messaging units when the SKU is Premium (ignored for Standard).')
@allowed([
  1
  2
  4
  8
  16
])
param premiumCapacity int

@description('Topic the outbox relay publishes domain events to as CloudEvents (ServiceBus__OrderEventsTopic).')
param orderEventsTopicName string

@description('Topic Orders sends its requests to other domains to (reserve stock, initiate payment, create shipment, notify, ...) as CloudEvents (ServiceBus__RequestsTopic).')
param requestsTopicName string

@description('Topic other systems publish integration events to: payments, inventory, shipping, COD cash (ServiceBus__InboundTopic).')
param inboundTopicName string

@description('Subscription of this app on the inbound topic (ServiceBus__InboundSubscription).')
param inboundSubscriptionName string

@description('Example subscription on order-events for a downstream consumer.')
param downstreamSubscriptionName string

@description('Catch-all subscription on the requests topic: takes every request whose type no domain has claimed yet.')
param unclaimedRequestsSubscriptionName string

@description('Queue the catch-all subscription forwards to; queues have their own metrics, so an alert can watch it.')
param unclaimedRequestsQueueName string

@description('Request types (CloudEvents type = message Subject) that a receiving domain\'s own subscription on the requests topic already takes; the catch-all no longer keeps those.')
param claimedRequestTypes string[]

@description('How long Service Bus remembers message ids to drop duplicates (ISO 8601 duration).')
param duplicateDetectionWindow string

@description('The same for the requests topic: shorter than the sagas\' first re-send of an unanswered request (Sagas__ResendAfter, 30 s), which carries the same message id and must reach the domain (at least PT20S, Service Bus\' minimum).')
param requestsDuplicateDetectionWindow string

@description('Deliveries before a message is dead-lettered.')
@minValue(1)
param maxDeliveryCount int

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: sku == 'Premium'
    ? {
        name: 'Premium'
        tier: 'Premium'
        capacity: premiumCapacity
      }
    : {
        name: 'Standard'
        tier: 'Standard'
      }
  properties: {
    // Entra ID only: no SAS keys or connection strings; the app's identity holds Data Sender / Data Receiver.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

// Outbound domain events. The relay sets message id = event id (duplicate detection drops re-publishes within the
// window) and session id = order id (per-order ordering for session-aware subscribers).
resource orderEventsTopic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: orderEventsTopicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    supportOrdering: true
    enableBatchedOperations: true
    maxSizeInMegabytes: 5120
  }
}

// Outbound requests to the other domains (inventory, payments, shipping, promotions, notifications). ServiceBusGatewayRequests sets
// message id = the request's idempotency key (duplicate detection drops a request a retried activity sends again
// within requestsDuplicateDetectionWindow; a saga's deliberate re-send comes later and gets through, and the domain,
// deduplicating by the key, acts once and answers again) and session id = order id. The receiving domains own their subscriptions (filtered on the cloudEvents:type application
// property or the Subject). A topic discards a message no subscription takes, so the catch-all below keeps every
// request whose type no domain has claimed (claimedRequestTypes) until it is replayed.
resource requestsTopic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: requestsTopicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: requestsDuplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    supportOrdering: true
    enableBatchedOperations: true
    maxSizeInMegabytes: 5120
  }
}

// Requests no domain takes yet (a fresh environment, a domain not deployed, a new request type) land here instead of
// vanishing: the catch-all subscription forwards them to a queue, and alerts.bicep fires while that queue holds any.
// Replaying one = sending it to the topic again once its domain subscribes (infra/README.md). Nothing consumes the
// queue; a request that stays unreplayed for 14 days moves to its dead-letter queue, never out of sight.
resource unclaimedRequestsQueue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = {
  parent: namespace
  name: unclaimedRequestsQueueName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: maxDeliveryCount
    lockDuration: 'PT1M'
    enableBatchedOperations: true
    maxSizeInMegabytes: 5120
  }
}

resource unclaimedRequestsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = {
  parent: requestsTopic
  name: unclaimedRequestsSubscriptionName
  properties: {
    forwardTo: unclaimedRequestsQueue.name
    maxDeliveryCount: maxDeliveryCount
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    deadLetteringOnFilterEvaluationExceptions: true
  }
}

// The subscription's only rule. Named $Default so it replaces the true filter every new subscription starts with
// (rules are ORed: a second rule beside $Default would take everything). sys.Label is the message Subject, which
// ServiceBusGatewayRequests sets to the request's CloudEvents type.
resource unclaimedRequestsRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2026-01-01' = {
  parent: unclaimedRequestsSubscription
  name: '$Default'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: empty(claimedRequestTypes) ? '1=1' : 'sys.Label NOT IN (\'${join(claimedRequestTypes, '\', \'')}\')'
    }
  }
}

// Example downstream consumer: sessions so it sees each order's events in order.
resource downstreamSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = {
  parent: orderEventsTopic
  name: downstreamSubscriptionName
  properties: {
    requiresSession: true
    maxDeliveryCount: maxDeliveryCount
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    deadLetteringOnFilterEvaluationExceptions: true
  }
}

// Inbound integration events. Publishers set session id = order id, so one order's events are handled one at a time
// and in order; message ids are their event ids, so duplicates within the window are dropped by the broker (the
// handler also ignores duplicates itself).
resource inboundTopic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: inboundTopicName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    supportOrdering: true
    enableBatchedOperations: true
    maxSizeInMegabytes: 5120
  }
}

resource inboundSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = {
  parent: inboundTopic
  name: inboundSubscriptionName
  properties: {
    requiresSession: true
    maxDeliveryCount: maxDeliveryCount
    // host.json renews locks for up to 5 minutes (maxAutoLockRenewalDuration); a 1 minute lock keeps redelivery quick.
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    deadLetteringOnFilterEvaluationExceptions: true
  }
}

@description('Resource id of the namespace (scope of the dead-letter alert).')
output namespaceId string = namespace.id

@description('Name of the queue that holds requests no domain took (scope of the unclaimed-requests alert).')
output unclaimedRequestsQueueName string = unclaimedRequestsQueue.name

@description('Name of the namespace.')
output namespaceName string = namespace.name

@description('Fully qualified namespace host, <namespace>.servicebus.windows.net in the public cloud (ServiceBus__FullyQualifiedNamespace, ServiceBusConnection__fullyQualifiedNamespace).')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
