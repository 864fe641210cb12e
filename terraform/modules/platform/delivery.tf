# How code reaches the services: CodeDeploy blue/green for the API, and the GitHub OIDC roles
# the workflows assume.

module "codedeploy" {
  source = "../codedeploy"

  name                             = local.api_service_name
  ecs_cluster_name                 = module.ecs_cluster.name
  ecs_service_name                 = module.api.service_name
  prod_listener_arn                = module.load_balancer.prod_listener_arn
  test_listener_arn                = module.load_balancer.test_listener_arn
  blue_target_group_name           = module.load_balancer.blue_target_group_name
  green_target_group_name          = module.load_balancer.green_target_group_name
  deployment_config_name           = var.deployment_config_name
  ready_wait_time_in_minutes       = var.ready_wait_time_in_minutes
  termination_wait_time_in_minutes = var.termination_wait_time_in_minutes
  alarm_names                      = module.monitoring.api_deployment_alarm_names
  permissions_boundary_arn         = module.github_oidc.permissions_boundary_arn

  tags = local.tags
}

module "github_oidc" {
  source = "../github-oidc"

  name                 = local.name
  github_repository    = var.github_repository
  github_environment   = var.environment
  allow_main_branch    = var.allow_main_branch_deploys
  create_oidc_provider = var.create_github_oidc_provider

  state_bucket_name = var.state_bucket_name
  state_key_prefix  = "${var.environment}/"
  state_kms_key_arn = var.state_kms_key_arn

  ecr_repository_arns = values(module.ecr.repository_arns)
  ecs_cluster_arn     = module.ecs_cluster.arn
  ecs_service_arns    = [module.api.service_arn, module.worker.service_arn]
  pass_role_arns = [
    module.api.task_role_arn,
    module.api.execution_role_arn,
    module.worker.task_role_arn,
    module.worker.execution_role_arn,
  ]
  codedeploy_application_name      = module.codedeploy.application_name
  codedeploy_deployment_group_name = module.codedeploy.deployment_group_name
  test_listener_security_group_arn = module.load_balancer.test_listener_security_group_arn
  environment_tag                  = var.environment

  tags = local.tags
}

locals {
  api_base_url = var.api_domain_name == null ? module.load_balancer.url : "${lower(module.load_balancer.protocol)}://${var.api_domain_name}"
  api_test_url = var.api_domain_name == null ? module.load_balancer.test_listener_url : "${lower(module.load_balancer.protocol)}://${var.api_domain_name}:${module.load_balancer.test_listener_port}"
}
