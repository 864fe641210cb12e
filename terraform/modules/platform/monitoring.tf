module "monitoring" {
  source = "../monitoring"

  name                  = local.name
  environment           = var.environment
  alarm_email_addresses = var.alarm_email_addresses

  # The SES event topic shares the alerts key.
  kms_key_service_principals = ["cloudwatch.amazonaws.com", "ses.amazonaws.com"]

  # Names, not module outputs: the worker service needs these alarms first.
  cluster_name        = module.ecs_cluster.name
  api_service_name    = local.api_service_name
  worker_service_name = local.worker_service_name

  load_balancer_arn_suffix  = module.load_balancer.arn_suffix
  target_group_arn_suffixes = module.load_balancer.target_group_arn_suffixes
  queue_name                = module.queue.queue_name
  dlq_name                  = module.queue.dlq_name

  tags = local.tags
}
