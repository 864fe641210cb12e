variable "name" {
  description = "Name prefix of the roles and policies, e.g. `notify-staging` (roles are `<name>-github-plan`, `<name>-github-deploy`, `<name>-github-terraform`)."
  type        = string

  validation {
    # IAM role names stop at 64 characters; the longest suffix is "-github-terraform" (17).
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,47}$", var.name))
    error_message = "name must be 1-47 characters valid in an IAM role name (letters, digits, +=,.@_-)."
  }
}

variable "github_repository" {
  description = "The GitHub repository allowed to assume the roles, as `owner/repo`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be \"owner/repo\"."
  }
}

variable "github_environment" {
  description = "GitHub environment whose jobs may assume the deploy and Terraform roles (`repo:<owner>/<repo>:environment:<env>`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.github_environment))
    error_message = "github_environment must be a GitHub environment name (letters, digits, _.-)."
  }
}

variable "allow_main_branch" {
  description = "Also trust jobs on the main branch without an environment (`ref:refs/heads/main`) for the deploy role; true for staging, false for production so that it needs the protected environment."
  type        = bool
  default     = false
}

variable "create_oidc_provider" {
  description = "Create the account's OIDC provider for token.actions.githubusercontent.com. There is one per account: false looks up the existing one (for example the second region, or production in the staging account)."
  type        = bool
  default     = true
}

variable "create_plan_role" {
  description = "Create the read-only role that pull-request jobs use for `terraform plan`."
  type        = bool
  default     = true
}

variable "create_terraform_role" {
  description = "Create the role that the environment's jobs use for `terraform apply`."
  type        = bool
  default     = true
}

variable "terraform_role_policy_arns" {
  description = "Extra managed policies of the Terraform apply role, on top of the environment boundary (`<name>-boundary`), which also stays its permissions boundary: nothing attached here reaches past it."
  type        = list(string)
  default     = []
}

variable "state_bucket_name" {
  description = "S3 bucket holding the Terraform state."
  type        = string
}

variable "state_key_prefix" {
  description = "Key prefix of this environment's state objects in the bucket, e.g. `staging/` (the roots' backend keys start with `<environment>/`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+/$", var.state_key_prefix))
    error_message = "state_key_prefix must be a key prefix ending in \"/\", e.g. \"staging/\"."
  }
}

variable "state_kms_key_arn" {
  description = "KMS key encrypting the state bucket, or null when it uses SSE-S3."
  type        = string
  default     = null
}

variable "ecr_repository_arns" {
  description = "ECR repositories the deploy role may push to and read."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_arns) > 0 && alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:", a))])
    error_message = "ecr_repository_arns must list ECR repository ARNs."
  }
}

variable "ecs_cluster_arn" {
  description = "ARN of the ECS cluster whose services the deploy role updates."
  type        = string
}

variable "ecs_service_arns" {
  description = "ECS services the deploy role may describe and update."
  type        = list(string)

  validation {
    condition     = length(var.ecs_service_arns) > 0
    error_message = "ecs_service_arns must list at least one service ARN."
  }
}

variable "pass_role_arns" {
  description = "The task and execution roles of the services: the only roles the deploy role may pass (to ecs-tasks.amazonaws.com) when it registers task definitions."
  type        = list(string)

  validation {
    condition     = length(var.pass_role_arns) > 0 && alltrue([for a in var.pass_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "pass_role_arns must list IAM role ARNs."
  }
}

variable "codedeploy_application_name" {
  description = "CodeDeploy application of the API."
  type        = string
}

variable "codedeploy_deployment_group_name" {
  description = "CodeDeploy deployment group of the API."
  type        = string
}

variable "test_listener_security_group_arn" {
  description = "ARN of the blue/green test listener's security group: the deploy role may add and remove ingress rules on it (the runner's /32 around the smoke test), and on no other group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ec2:[a-z0-9-]+:[0-9]{12}:security-group/sg-", var.test_listener_security_group_arn))
    error_message = "test_listener_security_group_arn must be an EC2 security group ARN."
  }
}

variable "environment_tag" {
  description = "Value of the `Environment` tag on this environment's resources; the roles' tag conditions (aws:ResourceTag/Environment) confine them to resources carrying it."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
