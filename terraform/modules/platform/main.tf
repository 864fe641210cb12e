# The whole AWS home of the notification platform for one environment in one region. The
# environment roots only configure providers and the backend and call this module, so staging,
# production and production's second region are the same code with different inputs.

locals {
  name = join("-", compact([var.project, var.environment, var.region_suffix]))

  tags = merge(var.tags, {
    Project     = var.project
    Environment = var.environment
  })

  api_service_name    = "${local.name}-api"
  worker_service_name = "${local.name}-worker"

  # Per environment and region: immutable repositories, each deploy pushes the same image digest.
  api_repository_name    = "${local.name}-api"
  worker_repository_name = "${local.name}-worker"

  region = data.aws_region.current.region
}

data "aws_region" "current" {}

# "available" alone also lists opted-in Local and Wavelength Zones, which sort before the
# region's own zones: keep only the zones every account has.
data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

module "network" {
  source = "../network"

  name                       = local.name
  cidr                       = var.vpc_cidr
  azs                        = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  single_nat_gateway         = var.single_nat_gateway
  create_vpc_endpoints       = var.create_vpc_endpoints
  flow_log_retention_in_days = var.log_retention_in_days
  flow_log_kms_key_arn       = var.log_kms_key_arn
  permissions_boundary_arn   = module.github_oidc.permissions_boundary_arn

  tags = local.tags
}

module "ecr" {
  source = "../ecr"

  repository_names = [local.api_repository_name, local.worker_repository_name]

  tags = local.tags
}

module "ecs_cluster" {
  source = "../ecs-cluster"

  name = local.name
  # No service calls another inside the VPC (the API is reached through the ALB, the worker
  # only pulls from SQS), so there is no Service Connect namespace to pay for or maintain.
  create_service_connect_namespace = false

  tags = local.tags
}

module "load_balancer" {
  source = "../load-balancer"

  name                       = local.api_service_name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.public_subnet_ids
  certificate_arn            = var.certificate_arn
  allow_plain_http           = var.allow_plain_http
  ingress_cidr_blocks        = var.alb_ingress_cidr_blocks
  test_listener_cidr_blocks  = var.test_listener_cidr_blocks
  target_port                = 3000
  enable_deletion_protection = var.alb_deletion_protection
  access_logs_force_destroy  = var.force_destroy_log_buckets

  create_waf                = var.create_waf
  waf_log_retention_in_days = var.log_retention_in_days
  waf_log_kms_key_arn       = var.log_kms_key_arn

  tags = local.tags
}
