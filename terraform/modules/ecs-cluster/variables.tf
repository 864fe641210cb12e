variable "name" {
  description = "Name of the ECS cluster, e.g. `notify-staging`. Also the default name of the Service Connect namespace."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$", var.name))
    error_message = "name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "container_insights" {
  description = "Container Insights level: `enabled`, or `enhanced` (per-task metrics, higher cost). Required for the worker's RunningTaskCount backlog scaling."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced"], var.container_insights)
    error_message = "container_insights must be \"enabled\" or \"enhanced\" (it cannot be switched off in this module)."
  }
}

variable "default_capacity_provider_strategy" {
  description = "Default capacity provider strategy for services that do not set their own. FARGATE and FARGATE_SPOT are both attached to the cluster."
  type = list(object({
    capacity_provider = string
    weight            = optional(number, 1)
    base              = optional(number, 0)
  }))
  default = [{ capacity_provider = "FARGATE", weight = 1, base = 0 }]

  validation {
    condition     = length(var.default_capacity_provider_strategy) > 0 && alltrue([for s in var.default_capacity_provider_strategy : contains(["FARGATE", "FARGATE_SPOT"], s.capacity_provider)])
    error_message = "default_capacity_provider_strategy must name FARGATE or FARGATE_SPOT in every entry."
  }
}

variable "create_service_connect_namespace" {
  description = "Create a Cloud Map HTTP namespace and make it the cluster's Service Connect default."
  type        = bool
  default     = true
}

variable "service_connect_namespace_name" {
  description = "Name of the Cloud Map namespace. Null uses `name`."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
