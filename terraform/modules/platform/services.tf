# The two ECS services. Task roles get exactly the policies the queue, table and SES modules
# hand out; nothing is written twice.

data "aws_iam_policy_document" "api_task" {
  source_policy_documents = [
    module.queue.producer_policy_json,
    module.idempotency_table.access_policy_json,
    module.status_table.api_policy_json,
  ]
}

data "aws_iam_policy_document" "worker_task" {
  source_policy_documents = [
    module.queue.consumer_policy_json,
    module.queue.dlq_producer_policy_json,
    module.email.sender_policy_json,
    module.status_table.worker_policy_json,
    module.status_events.consumer_policy_json,
    module.status_events.dlq_producer_policy_json,
  ]
}

module "api" {
  source = "../ecs-service"

  name           = local.api_service_name
  cluster_arn    = module.ecs_cluster.arn
  cluster_name   = module.ecs_cluster.name
  container_name = "api"
  image          = "${module.ecr.repository_urls[local.api_repository_name]}:${var.image_tag}"
  container_port = 3000
  cpu            = var.api.cpu
  memory         = var.api.memory
  stop_timeout   = 30

  environment = {
    QUEUE_URL             = module.queue.queue_url
    IDEMPOTENCY_TABLE     = module.idempotency_table.table_name
    STATUS_TABLE          = module.status_table.table_name
    STATUS_RETENTION_DAYS = tostring(var.status_retention_days)
    ENVIRONMENT           = var.environment
    AWS_REGION            = local.region
    # Above the longest request (22 s, see the API README "Timeouts"), below the 30 s stop
    # timeout, so in-flight requests finish before SIGKILL.
    SHUTDOWN_TIMEOUT_MS = "25000"
  }
  secrets = {
    API_TOKENS = module.api_tokens.secret_arn
  }

  ecr_repository_arns   = [module.ecr.repository_arns[local.api_repository_name]]
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = var.log_kms_key_arn
  task_role_policy_json = data.aws_iam_policy_document.api_task.json

  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  ingress_security_group_ids = [module.load_balancer.security_group_id]

  # Blue/green through CodeDeploy (Service Connect is not available on such services).
  deployment_controller = "CODE_DEPLOY"
  load_balancer = {
    target_group_arn = module.load_balancer.blue_target_group_arn
  }

  autoscaling_min_capacity = var.api.min_tasks
  autoscaling_max_capacity = var.api.max_tasks

  permissions_boundary_arn = module.github_oidc.permissions_boundary_arn

  tags = local.tags
}

module "worker" {
  source = "../ecs-service"

  name           = local.worker_service_name
  cluster_arn    = module.ecs_cluster.arn
  cluster_name   = module.ecs_cluster.name
  container_name = "worker"
  image          = "${module.ecr.repository_urls[local.worker_repository_name]}:${var.image_tag}"
  container_port = 3001
  port_name      = "ops"
  cpu            = var.worker.cpu
  memory         = var.worker.memory
  # The drain (SHUTDOWN_TIMEOUT_MS) must end before ECS's SIGKILL at stop_timeout.
  stop_timeout = 60

  environment = {
    QUEUE_URL                  = module.queue.queue_url
    DLQ_URL                    = module.queue.dlq_url
    EMAIL_FROM                 = module.email.from_address
    SES_CONFIGURATION_SET      = module.email.configuration_set_name
    STATUS_TABLE               = module.status_table.table_name
    STATUS_RETENTION_DAYS      = tostring(var.status_retention_days)
    EVENTS_QUEUE_URL           = module.status_events.queue_url
    ENVIRONMENT                = var.environment
    AWS_REGION                 = local.region
    MAX_RECEIVE_COUNT          = tostring(module.queue.max_receive_count)
    VISIBILITY_TIMEOUT_SECONDS = tostring(module.queue.visibility_timeout_seconds)
    SHUTDOWN_TIMEOUT_MS        = "50000"
    # Each task takes its share of the account's SES rate; sized for the largest fleet so the
    # fleet never exceeds the quota.
    SEND_RATE_FROM_ACCOUNT = "true"
    SEND_RATE_TASK_SHARE   = tostring(var.worker.max_tasks)
  }

  ecr_repository_arns   = [module.ecr.repository_arns[local.worker_repository_name]]
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = var.log_kms_key_arn
  task_role_policy_json = data.aws_iam_policy_document.worker_task.json

  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids

  # Rolling with circuit breaker; these alarms roll a deployment back.
  deployment_controller  = "ECS"
  deployment_alarm_names = module.monitoring.worker_deployment_alarm_names
  # No Service Connect: nothing calls the worker (it only pulls from SQS), so a proxy would
  # take CPU and memory from a 0.25 vCPU task for nothing (terraform/README.md, Service mesh).

  capacity_provider_strategy = var.worker.use_fargate_spot ? [
    { capacity_provider = "FARGATE", base = 1, weight = 0 },
    { capacity_provider = "FARGATE_SPOT", base = 0, weight = 1 },
  ] : [{ capacity_provider = "FARGATE", base = 0, weight = 1 }]

  autoscaling_min_capacity = var.worker.min_tasks
  autoscaling_max_capacity = var.worker.max_tasks
  backlog_scaling = {
    queue_name              = module.queue.queue_name
    target_backlog_per_task = var.worker.target_backlog_per_task
  }

  permissions_boundary_arn = module.github_oidc.permissions_boundary_arn

  tags = local.tags
}
