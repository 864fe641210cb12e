# Production: one instance per region, from the same module code. The primary region keeps
# the plain names (notify-production-*); another region adds a short suffix such as "usw2" to
# names that are global in an account (IAM roles, dashboards).

locals {
  is_primary_region = var.region == var.primary_region
  # us-west-2 -> usw2
  region_suffix = local.is_primary_region ? null : replace(var.region, "/^([a-z]+)-([a-z])[a-z]*-([0-9]+)$/", "$1$2$3")
  # One MAIL FROM subdomain per region (mail, mail-usw2): both regions share the zone and the
  # domain, and each MX must name its own region's SES feedback endpoint, so one name would
  # make the second region's MX/TXT records collide with the first's.
  ses_mail_from_subdomain = var.ses_mail_from_subdomain == null ? null : (local.is_primary_region ? var.ses_mail_from_subdomain : "${var.ses_mail_from_subdomain}-${local.region_suffix}")
}

module "platform" {
  source = "../../modules/platform"

  environment   = "production"
  region_suffix = local.region_suffix

  vpc_cidr              = var.vpc_cidr
  az_count              = 3
  single_nat_gateway    = false
  create_vpc_endpoints  = true
  log_retention_in_days = 365
  log_kms_key_arn       = var.log_kms_key_arn

  certificate_arn         = var.certificate_arn
  allow_plain_http        = false
  api_domain_name         = var.api_domain_name
  alb_deletion_protection = true
  create_waf              = var.create_waf

  image_tag = var.image_tag
  api = {
    cpu    = 512
    memory = 1024
  }
  worker = {
    cpu    = 512
    memory = 1024
  }

  queue_operator_role_arns        = var.queue_operator_role_arns
  idempotency_deletion_protection = true
  status_deletion_protection      = true
  secret_recovery_window_in_days  = 30

  ses_domain              = var.ses_domain
  ses_mail_from_subdomain = local.ses_mail_from_subdomain
  ses_route53_zone_id     = var.ses_route53_zone_id

  alarm_email_addresses = var.alarm_email_addresses

  deployment_config_name           = "CodeDeployDefault.ECSCanary10Percent5Minutes"
  ready_wait_time_in_minutes       = 30
  termination_wait_time_in_minutes = 15

  github_repository           = var.github_repository
  allow_main_branch_deploys   = false
  create_github_oidc_provider = local.is_primary_region && var.create_github_oidc_provider
  state_bucket_name           = var.state_bucket_name
}
