module "monitoring" {
  source = "../monitoring"

  name                  = local.name
  environment           = var.environment
  alarm_email_addresses = var.alarm_email_addresses

  # Names, not module outputs: the worker service needs these alarms first.
  cluster_name        = module.ecs_cluster.name
  api_service_name    = local.api_service_name
  worker_service_name = local.worker_service_name

  load_balancer_arn_suffix  = module.load_balancer.arn_suffix
  target_group_arn_suffixes = module.load_balancer.target_group_arn_suffixes
  queue_name                = module.queue.queue_name
  dlq_name                  = module.queue.dlq_name
  events_queue_name         = module.status_events.queue_name
  events_dlq_name           = module.status_events.dlq_name
  events_rule_name          = module.status_events.rule_name

  tags = local.tags
}
