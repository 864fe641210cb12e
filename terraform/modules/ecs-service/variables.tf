variable "name" {
  description = "Name of the ECS service and family of its task definition, e.g. `notify-staging-api`."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,53}$", var.name))
    error_message = "name must be 1-54 letters, digits, hyphens or underscores (IAM role names get a -task-exec suffix and are limited to 64 characters)."
  }
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster the service runs in."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster (autoscaling resource ID and Container Insights dimension)."
  type        = string
}

# ---------------------------------------------------------------------------
# Container
# ---------------------------------------------------------------------------

variable "container_name" {
  description = "Name of the single container (`api` or `worker`); the deploy pipeline and the AppSpec refer to it."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "image" {
  description = "Full image reference (ECR repository URL with tag or digest). The deploy pipeline registers later revisions with new images."
  type        = string
}

variable "container_port" {
  description = "Port the container listens on (API 3000, worker operations port 3001)."
  type        = number

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535
    error_message = "container_port must be between 1 and 65535."
  }
}

variable "port_name" {
  description = "Name of the port mapping; Service Connect refers to the port by this name."
  type        = string
  default     = "http"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,63}$", var.port_name))
    error_message = "port_name must be 1-64 lowercase letters, digits or hyphens."
  }
}

variable "cpu" {
  description = "Task CPU units (Fargate: 256, 512, 1024, 2048, 4096, 8192, 16384)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB; must be a combination Fargate allows for `cpu`."
  type        = number
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && var.memory % 512 == 0
    error_message = "memory must be a multiple of 512 MiB between 512 and 122880."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the task: X86_64 or ARM64 (Graviton, cheaper; the image must be built for it)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "container_user" {
  description = "User the container runs as (non-root; `node` exists in the official Node images)."
  type        = string
  default     = "node"

  validation {
    condition     = !contains(["root", "0", "0:0"], var.container_user)
    error_message = "container_user must not be root."
  }
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL (Fargate maximum 120). The worker's drain (SHUTDOWN_TIMEOUT_MS) must fit inside."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120
    error_message = "stop_timeout must be between 2 and 120 seconds (Fargate limit)."
  }
}

variable "health_check" {
  description = "Container health check. Null command probes http://127.0.0.1:<container_port><path> with Node's fetch (no curl in the image)."
  type = object({
    command      = optional(list(string))
    path         = optional(string, "/healthz")
    interval     = optional(number, 15)
    timeout      = optional(number, 5)
    retries      = optional(number, 3)
    start_period = optional(number, 20)
  })
  default = {}

  validation {
    condition = (
      var.health_check.interval >= 5 && var.health_check.interval <= 300 &&
      var.health_check.timeout >= 2 && var.health_check.timeout <= 60 &&
      var.health_check.retries >= 1 && var.health_check.retries <= 10 &&
      var.health_check.start_period >= 0 && var.health_check.start_period <= 300
    )
    error_message = "health_check: interval 5-300, timeout 2-60, retries 1-10, start_period 0-300 (ECS limits)."
  }
}

variable "environment" {
  description = "Plain environment variables of the container (name -> value). Secrets belong in `secrets`."
  type        = map(string)
  default     = {}

  validation {
    # Boolean switches such as ALLOW_DEV_TOKEN = "false" name a secret without carrying one.
    condition     = alltrue([for k, v in var.environment : !can(regex("(?i)(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|CREDENTIAL)", k)) || contains(["true", "false", "0", "1"], lower(v))])
    error_message = "environment must not carry secrets (a name contains SECRET, PASSWORD, TOKEN, PRIVATE_KEY or CREDENTIAL and the value is not a boolean): pass them in `secrets` as Secrets Manager ARNs."
  }
}

variable "secrets" {
  description = "Secrets injected as environment variables (name -> Secrets Manager ARN, optionally with a `:json-key::` suffix). The execution role may read exactly these secrets."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.secrets) : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:", v))])
    error_message = "secrets values must be Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:...)."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer-managed KMS key ARNs the secrets are encrypted with (the execution role gets kms:Decrypt on them). Empty for the AWS-managed key."
  type        = list(string)
  default     = []
}

variable "ecr_repository_arns" {
  description = "ECR repositories the execution role may pull from."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_arns) > 0 && alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:", a))])
    error_message = "ecr_repository_arns must list at least one ECR repository ARN."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the service's log group in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN to encrypt the log group with. Null uses CloudWatch Logs' default encryption."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------

variable "task_role_policy_json" {
  description = "IAM policy document (JSON) of what the application may do (the task role), e.g. from an aws_iam_policy_document data source. Required: both services need AWS access, and a value only known after apply could not decide whether to create the policy."
  type        = string
}

# ---------------------------------------------------------------------------
# Networking
# ---------------------------------------------------------------------------

variable "vpc_id" {
  description = "ID of the VPC of the service's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnet IDs the tasks run in (no public IPs are assigned)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids must hold at least one private subnet."
  }
}

variable "ingress_security_group_ids" {
  description = "Security groups allowed to reach the container port (the ALB's for the API; Service Connect clients' for the worker). Empty allows no inbound traffic."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------------------
# Service and deployment
# ---------------------------------------------------------------------------

variable "desired_count" {
  description = "Tasks at creation; afterwards autoscaling owns the count (Terraform ignores it)."
  type        = number
  default     = 2

  validation {
    condition     = var.desired_count >= 0
    error_message = "desired_count must not be negative."
  }
}

variable "deployment_controller" {
  description = "CODE_DEPLOY (blue/green through CodeDeploy; needs `load_balancer`) or ECS (rolling with circuit breaker and alarm rollback)."
  type        = string
  default     = "ECS"

  validation {
    condition     = contains(["ECS", "CODE_DEPLOY"], var.deployment_controller)
    error_message = "deployment_controller must be ECS or CODE_DEPLOY."
  }
}

variable "load_balancer" {
  description = "Target group the service registers with at creation (the blue one for CODE_DEPLOY). Null for services without a load balancer."
  type = object({
    target_group_arn = string
  })
  default = null

  validation {
    condition     = var.load_balancer != null || var.deployment_controller != "CODE_DEPLOY"
    error_message = "load_balancer is required when deployment_controller is CODE_DEPLOY."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores load balancer health checks after a task starts (only with `load_balancer`)."
  type        = number
  default     = 30
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower bound of running tasks during an ECS rolling deployment, in percent of desired_count."
  type        = number
  default     = 100
}

variable "deployment_maximum_percent" {
  description = "Upper bound of running tasks during an ECS rolling deployment, in percent of desired_count."
  type        = number
  default     = 200
}

variable "deployment_alarm_names" {
  description = "CloudWatch alarms that fail and roll back an ECS rolling deployment (ignored for CODE_DEPLOY: give them to the codedeploy module)."
  type        = list(string)
  default     = []
}

variable "service_connect_namespace_arn" {
  description = "Cloud Map namespace ARN to join with ECS Service Connect. Applied only with the ECS controller (Service Connect cannot run on CodeDeploy blue/green services)."
  type        = string
  default     = null
}

variable "service_connect_discovery_name" {
  description = "Service Connect discovery and client alias DNS name. Null uses `container_name`."
  type        = string
  default     = null
}

variable "capacity_provider_strategy" {
  description = "Capacity provider strategy: FARGATE, FARGATE_SPOT (interruptible, up to 70% cheaper; fine for the idempotent worker) or a mix."
  type = list(object({
    capacity_provider = string
    weight            = optional(number, 1)
    base              = optional(number, 0)
  }))
  default = [{ capacity_provider = "FARGATE", weight = 1, base = 0 }]

  validation {
    condition     = length(var.capacity_provider_strategy) > 0 && alltrue([for s in var.capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)])
    error_message = "capacity_provider_strategy must name FARGATE or FARGATE_SPOT in every entry."
  }
}

variable "platform_version" {
  description = "Fargate platform version."
  type        = string
  default     = "LATEST"
}

variable "wait_for_steady_state" {
  description = "Make Terraform wait until the service is stable after changes."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------
# Autoscaling
# ---------------------------------------------------------------------------

variable "autoscaling_min_capacity" {
  description = "Minimum number of tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.autoscaling_min_capacity >= 1
    error_message = "autoscaling_min_capacity must be at least 1 (backlog per task divides by the running task count)."
  }
}

variable "autoscaling_max_capacity" {
  description = "Maximum number of tasks."
  type        = number
  default     = 10

  validation {
    condition     = var.autoscaling_max_capacity >= var.autoscaling_min_capacity
    error_message = "autoscaling_max_capacity must be at least autoscaling_min_capacity."
  }
}

variable "autoscaling_cpu_target" {
  description = "Target average CPU utilisation in percent for the target-tracking policy."
  type        = number
  default     = 70

  validation {
    condition     = var.autoscaling_cpu_target > 0 && var.autoscaling_cpu_target <= 100
    error_message = "autoscaling_cpu_target must be between 1 and 100."
  }
}

variable "autoscaling_scale_in_cooldown" {
  description = "Seconds after a scale-in before another scale-in."
  type        = number
  default     = 300
}

variable "autoscaling_scale_out_cooldown" {
  description = "Seconds after a scale-out before another scale-out."
  type        = number
  default     = 60
}

variable "backlog_scaling" {
  description = "Second target-tracking policy on SQS backlog per task (ApproximateNumberOfMessagesVisible / RunningTaskCount). target_backlog_per_task = acceptable queue delay / seconds per message per task. Null disables it."
  type = object({
    queue_name              = string
    target_backlog_per_task = number
  })
  default = null

  validation {
    condition     = var.backlog_scaling == null ? true : var.backlog_scaling.target_backlog_per_task > 0
    error_message = "backlog_scaling.target_backlog_per_task must be greater than 0."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of the IAM roles this module creates (the environment boundary of modules/github-oidc), or null for none."
  type        = string
  default     = null
}
