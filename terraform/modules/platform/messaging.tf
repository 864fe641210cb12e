# The queue between the services, the API's idempotency store, its token secret, SES, the
# notification status path (the status table, and SES events through EventBridge to a queue)
# and the status webhooks (their queue and the clients' configuration secret).

module "queue" {
  source = "../sqs-queue"

  name                       = "${local.name}-email"
  visibility_timeout_seconds = var.queue_visibility_timeout_seconds
  max_receive_count          = var.queue_max_receive_count

  producer_role_arns     = [module.api.task_role_arn]
  consumer_role_arns     = [module.worker.task_role_arn]
  dlq_producer_role_arns = [module.worker.task_role_arn]
  operator_role_arns     = var.queue_operator_role_arns

  tags = local.tags
}

module "idempotency_table" {
  source = "../idempotency-table"

  name                        = "${local.name}-idempotency"
  deletion_protection_enabled = var.idempotency_deletion_protection

  tags = local.tags
}

module "api_tokens" {
  source = "../secrets"

  name                    = "${local.name}/api-tokens"
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = local.tags
}

module "email" {
  source = "../ses"

  domain                 = var.ses_domain
  from_local_part        = var.email_from_local_part
  configuration_set_name = local.name
  mail_from_subdomain    = var.ses_mail_from_subdomain
  route53_zone_id        = var.ses_route53_zone_id

  tags = local.tags
}

module "status_table" {
  source = "../status-table"

  name                        = "${local.name}-status"
  deletion_protection_enabled = var.status_deletion_protection

  tags = local.tags
}

# SES events of this environment's configuration set -> default bus -> rule -> events queue,
# read by the status consumer in the worker.
module "status_events" {
  source = "../ses-events"

  name                   = local.name
  configuration_set_name = module.email.configuration_set_name
  event_types            = module.email.event_types
  max_receive_count      = 5

  consumer_role_arns = [module.worker.task_role_arn]
  operator_role_arns = var.queue_operator_role_arns

  tags = local.tags
}

# Status webhooks (issue 14): the worker's status path enqueues one job per subscribed change,
# its dispatcher delivers them to the clients' endpoints and retries by hiding a job
# (ChangeMessageVisibility) for 5 s ... 10 h, about 28 h in all, so the queue keeps a job 4 days.
# The dispatcher dead-letters a job itself after its last attempt (with the reason); the
# redrive at 20 receives is only a safety net above its 8 attempts (a crash loop, a poison job).
module "webhooks_queue" {
  source = "../sqs-queue"

  name                          = "${local.name}-webhooks"
  visibility_timeout_seconds    = 60
  message_retention_seconds     = 345600
  dlq_message_retention_seconds = 1209600
  max_receive_count             = 20
  # Merged with the email and events queues' documents on the worker's task role.
  statement_id_prefix = "Webhooks"

  # The worker is producer (jobs from its status path, jobs deferred by the per-endpoint cap),
  # consumer (the dispatcher) and DLQ producer (the last attempt's give-up) at once.
  producer_role_arns     = [module.worker.task_role_arn]
  consumer_role_arns     = [module.worker.task_role_arn]
  dlq_producer_role_arns = [module.worker.task_role_arn]
  operator_role_arns     = var.queue_operator_role_arns

  tags = local.tags
}

# The clients' webhook configuration (URL, event types, signing secrets), set by operators like
# the API tokens and injected into the worker as WEBHOOK_CLIENTS.
module "webhook_clients" {
  source = "../secrets"

  name                    = "${local.name}/webhook-clients"
  description             = "Webhook configuration of email-sender (WEBHOOK_CLIENTS) as a JSON object {\"<clientId>\": {\"url\": \"https://...\", \"events\": [...], \"secrets\": [\"whsec_...\"]}}; several secrets may be live at once for rotation."
  recovery_window_in_days = var.secret_recovery_window_in_days
  # `{}`: no client has webhooks yet, so the worker starts before an operator sets the value.
  placeholder_value = "{}"

  tags = local.tags
}
