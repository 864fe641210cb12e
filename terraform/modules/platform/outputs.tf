output "delivery" {
  description = "Everything the workflows and actions need, in one object (the environment roots publish it as their only output)."
  value = {
    environment                 = var.environment
    region                      = local.region
    cluster_name                = module.ecs_cluster.name
    api_service_name            = module.api.service_name
    worker_service_name         = module.worker.service_name
    api_container_name          = module.api.container_name
    worker_container_name       = module.worker.container_name
    codedeploy_application      = module.codedeploy.application_name
    codedeploy_deployment_group = module.codedeploy.deployment_group_name
    ecr_api_repository_url      = module.ecr.repository_urls[local.api_repository_name]
    ecr_worker_repository_url   = module.ecr.repository_urls[local.worker_repository_name]
    deploy_role_arn             = module.github_oidc.deploy_role_arn
    plan_role_arn               = module.github_oidc.plan_role_arn
    terraform_role_arn          = module.github_oidc.terraform_role_arn
    alb_url                     = local.api_base_url
    test_listener_url           = local.api_test_url
    # Closed by default: the deploy action opens the runner's /32 on this port in this group.
    test_listener_security_group_id = module.load_balancer.test_listener_security_group_id
    test_listener_port              = module.load_balancer.test_listener_port
    queue_url                       = module.queue.queue_url
    dlq_url                         = module.queue.dlq_url
    api_token_secret_arn            = module.api_tokens.secret_arn
  }
}

output "dns_records" {
  description = "DNS records to publish for the SES identity (DKIM CNAMEs, MAIL FROM MX/TXT) unless a Route 53 zone was given, and where to point the API's DNS name."
  value = {
    ses_dkim      = module.email.dkim_records
    ses_mail_from = module.email.mail_from_records
    alb_dns_name  = module.load_balancer.dns_name
    alb_zone_id   = module.load_balancer.zone_id
  }
}

output "operations" {
  description = "Names an operator looks for: dashboard, alerts topic, API token secret, SES configuration set and its event rule, status table, events queue and DLQ, log groups."
  value = {
    dashboard_name        = module.monitoring.dashboard_name
    alerts_topic_arn      = module.monitoring.alerts_topic_arn
    api_token_secret_name = module.api_tokens.secret_name
    ses_configuration_set = module.email.configuration_set_name
    ses_events_rule_name  = module.status_events.rule_name
    status_table_name     = module.status_table.table_name
    events_queue_url      = module.status_events.queue_url
    events_dlq_url        = module.status_events.dlq_url
    api_log_group_name    = module.api.log_group_name
    worker_log_group_name = module.worker.log_group_name
    oidc_provider_arn     = module.github_oidc.oidc_provider_arn
    alarm_names           = module.monitoring.alarm_names
  }
}
