# Staging: the same platform as production, sized and protected for a pre-production
# environment (one NAT gateway, two AZs, Spot workers, no deletion protection).

module "platform" {
  source = "../../modules/platform"

  environment = "staging"

  az_count              = 2
  single_nat_gateway    = true
  create_vpc_endpoints  = false
  log_retention_in_days = 30
  log_kms_key_arn       = var.log_kms_key_arn

  certificate_arn           = var.certificate_arn
  allow_plain_http          = var.allow_plain_http
  api_domain_name           = var.api_domain_name
  alb_deletion_protection   = false
  force_destroy_log_buckets = true
  create_waf                = var.create_waf

  image_tag = var.image_tag
  worker = {
    use_fargate_spot = true
  }

  queue_operator_role_arns        = var.queue_operator_role_arns
  idempotency_deletion_protection = false
  status_deletion_protection      = false
  secret_recovery_window_in_days  = 7

  ses_domain          = var.ses_domain
  ses_route53_zone_id = var.ses_route53_zone_id

  alarm_email_addresses = var.alarm_email_addresses

  deployment_config_name           = "CodeDeployDefault.ECSAllAtOnce"
  ready_wait_time_in_minutes       = 30
  termination_wait_time_in_minutes = 5

  github_repository           = var.github_repository
  allow_main_branch_deploys   = true
  create_github_oidc_provider = var.create_github_oidc_provider
  state_bucket_name           = var.state_bucket_name
}
