metadata description = 'Alerts: dead-lettered Service Bus messages and requests no domain took (metric alerts), failed orchestrations and stuck orders (log alerts on Application Insights), all sent to one action group.'

@description('Azure region of the log alert rules (the region of Application Insights).')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Prefix of the alert resource names.')
param namePrefix string

@description('Whether the alert rules are enabled (they are always deployed).')
param alertsEnabled bool

@description('E-mail addresses that receive the alerts.')
param alertEmailAddresses string[]

@description('Resource id of the Service Bus namespace.')
param serviceBusNamespaceId string

@description('Queue of requests to other domains that no domain\'s subscription took (modules/servicebus.bicep).')
param unclaimedRequestsQueueName string

@description('Resource id of the Application Insights component the app logs to.')
param appInsightsId string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'orders-ops'
    enabled: true
    emailReceivers: [
      for (address, i) in alertEmailAddresses: {
        name: 'email-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// Any message in any dead-letter queue of the namespace (per entity) needs a human: the inbound handler gave up on it
// after maxDeliveryCount attempts, or it expired.
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-servicebus-deadlettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Service Bus has dead-lettered messages (DeadletteredMessages > 0 on some entity).'
    severity: 2
    enabled: alertsEnabled
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadlettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// A request to another domain that no domain's subscription took: the saga that sent it waits for an answer that
// cannot come. Queues report ActiveMessages per entity (subscriptions do not), hence the catch-all forwards to one.
resource unclaimedRequestsAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-servicebus-unclaimed-requests'
  location: 'global'
  tags: tags
  properties: {
    description: 'Requests to other domains that no domain subscription took are waiting in ${unclaimedRequestsQueueName}: subscribe the domain, then replay them (infra/README.md).'
    severity: 2
    enabled: alertsEnabled
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'unclaimed'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'ActiveMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                unclaimedRequestsQueueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// Query assumptions (Application Insights tables of the component, queried through its scope):
//  - The Durable Functions extension writes tracking traces under category 'Host.Triggers.DurableTask' (host.json
//    keeps it at Information) with customDimensions prop__functionType, prop__state, prop__instanceId, prop__isReplay;
//    a failed orchestration is prop__functionType == 'Orchestrator' and prop__state == 'Failed'.
//  - The app also reports a failed saga itself as a custom event or a log whose EventName is 'OrchestrationFailed'.
//  Either source alone fires the alert; `isfuzzy` keeps the rule valid while a table has no rows yet.
@description('KQL: rows for failed orchestrations in the window (assumptions above).')
var failedOrchestrationsQuery = '''
union isfuzzy=true
  (traces
    | where tostring(customDimensions.Category) == 'Host.Triggers.DurableTask'
    | where tostring(customDimensions.prop__functionType) == 'Orchestrator'
    | where tostring(customDimensions.prop__state) == 'Failed'
    | where tolower(tostring(customDimensions.prop__isReplay)) != 'true'
    | project timestamp, instanceId = tostring(customDimensions.prop__instanceId)),
  (customEvents
    | where name == 'OrchestrationFailed'
    | project timestamp, instanceId = tostring(customDimensions.InstanceId)),
  (traces
    | where tostring(customDimensions.EventName) == 'OrchestrationFailed'
    | project timestamp, instanceId = tostring(customDimensions.InstanceId))
'''

// Query assumptions: the DetectStuck job (Jobs__DetectStuck__Schedule, every 15 minutes) reports each order that sat
// too long in a non-terminal state as a custom event named 'OrderStuck' or a log whose EventName is 'OrderStuck'
// (ILogger event id name), with the order id in customDimensions.OrderId. The 30 minute window spans two job runs.
@description('KQL: rows for orders reported stuck in the window (assumptions above).')
var stuckOrdersQuery = '''
union isfuzzy=true
  (customEvents
    | where name == 'OrderStuck'
    | project timestamp, orderId = tostring(customDimensions.OrderId)),
  (traces
    | where tostring(customDimensions.EventName) == 'OrderStuck'
    | project timestamp, orderId = tostring(customDimensions.OrderId))
'''

resource failedOrchestrationsAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-failed-orchestrations'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Orders: failed orchestrations'
    description: 'A saga (Durable orchestration) ended in the Failed state.'
    severity: 1
    enabled: alertsEnabled
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: failedOrchestrationsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource stuckOrdersAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-stuck-orders'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Orders: stuck orders'
    description: 'The DetectStuck job reported orders that stopped progressing (OrderStuck).'
    severity: 2
    enabled: alertsEnabled
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: stuckOrdersQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}
