# The queue between the services, the API's idempotency store, its token secret, SES, and the
# notification status path (the status table, and SES events through EventBridge to a queue).

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
