variable "name" {
  description = "Name of the CodeDeploy application, e.g. `notify-staging-api`."
  type        = string

  validation {
    condition     = length(var.name) >= 1 && length(var.name) <= 100
    error_message = "name must be 1-100 characters."
  }
}

variable "deployment_group_name" {
  description = "Name of the deployment group. Null uses `name`."
  type        = string
  default     = null
}

variable "ecs_cluster_name" {
  description = "Name of the ECS cluster of the service."
  type        = string
}

variable "ecs_service_name" {
  description = "Name of the ECS service (deployment controller CODE_DEPLOY) to deploy."
  type        = string
}

variable "prod_listener_arn" {
  description = "ARN of the listener carrying production traffic (shifted from blue to green)."
  type        = string
}

variable "test_listener_arn" {
  description = "ARN of the test listener that routes to the green tasks before the shift."
  type        = string
}

variable "blue_target_group_name" {
  description = "Name of the target group the service starts on."
  type        = string
}

variable "green_target_group_name" {
  description = "Name of the second target group the replacement tasks register with."
  type        = string

  validation {
    condition     = var.green_target_group_name != var.blue_target_group_name
    error_message = "green_target_group_name must differ from blue_target_group_name."
  }
}

variable "deployment_config_name" {
  description = "Traffic shifting: one of the predefined ECS configs (all at once, canary, linear)."
  type        = string
  default     = "CodeDeployDefault.ECSAllAtOnce"

  validation {
    condition = contains([
      "CodeDeployDefault.ECSAllAtOnce",
      "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
      "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
      "CodeDeployDefault.ECSCanary10Percent5Minutes",
      "CodeDeployDefault.ECSCanary10Percent15Minutes",
    ], var.deployment_config_name)
    error_message = "deployment_config_name must be one of CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, CodeDeployDefault.ECSCanary10Percent15Minutes."
  }
}

variable "ready_wait_time_in_minutes" {
  description = "Minutes a deployment waits at Ready (green up on the test listener, no production traffic) for the pipeline to test and ContinueDeployment; it stops and rolls back if nobody continues. 0 shifts traffic immediately."
  type        = number
  default     = 60

  validation {
    condition     = var.ready_wait_time_in_minutes >= 0 && var.ready_wait_time_in_minutes <= 2880 && floor(var.ready_wait_time_in_minutes) == var.ready_wait_time_in_minutes
    error_message = "ready_wait_time_in_minutes must be a whole number between 0 and 2880 (2 days)."
  }
}

variable "termination_wait_time_in_minutes" {
  description = "Minutes the blue tasks keep running after a successful shift (window for a fast rollback)."
  type        = number
  default     = 5

  validation {
    condition     = var.termination_wait_time_in_minutes >= 0 && var.termination_wait_time_in_minutes <= 2880 && floor(var.termination_wait_time_in_minutes) == var.termination_wait_time_in_minutes
    error_message = "termination_wait_time_in_minutes must be a whole number between 0 and 2880."
  }
}

variable "alarm_names" {
  description = "CloudWatch alarms that stop the deployment and roll it back when they fire (at most 10)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.alarm_names) <= 10
    error_message = "alarm_names may hold at most 10 alarms (CodeDeploy limit)."
  }
}

variable "ignore_alarm_poll_failure" {
  description = "Continue the deployment when CloudWatch cannot be asked for the alarm states."
  type        = bool
  default     = false
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
