variable "name" {
  description = "Name prefix for every resource, e.g. `notify-staging`."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 characters of lowercase letters, digits and hyphens."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC. Subnets are carved from it (public /24s at the bottom, private /20s above) unless given explicitly."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && try(tonumber(split("/", var.cidr)[1]) <= 18, false)
    error_message = "cidr must be a valid IPv4 CIDR block of /18 or larger."
  }
}

variable "azs" {
  description = "Availability zones to spread the subnets over (2 or 3), e.g. [\"us-east-1a\", \"us-east-1b\"]."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 3 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 or 3 distinct availability zones."
  }
}

variable "public_subnet_cidrs" {
  description = "Explicit CIDR blocks of the public subnets, one per AZ. Null derives /24s from `cidr`."
  type        = list(string)
  default     = null

  validation {
    condition     = var.public_subnet_cidrs == null ? true : length(var.public_subnet_cidrs) == length(var.azs) && alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs must hold one valid CIDR block per entry of azs."
  }
}

variable "private_subnet_cidrs" {
  description = "Explicit CIDR blocks of the private subnets, one per AZ. Null derives /20s from `cidr`."
  type        = list(string)
  default     = null

  validation {
    condition     = var.private_subnet_cidrs == null ? true : length(var.private_subnet_cidrs) == length(var.azs) && alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "private_subnet_cidrs must hold one valid CIDR block per entry of azs."
  }
}

variable "single_nat_gateway" {
  description = "Use one NAT gateway for all private subnets (cheaper, staging) instead of one per AZ (zone-independent egress, production)."
  type        = bool
  default     = false
}

variable "flow_log_retention_in_days" {
  description = "Retention of the VPC flow log group in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "flow_log_kms_key_arn" {
  description = "KMS key ARN to encrypt the flow log group with. Null uses CloudWatch Logs' default encryption."
  type        = string
  default     = null
}

variable "flow_log_traffic_type" {
  description = "Traffic recorded by the VPC flow log: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "create_vpc_endpoints" {
  description = "Create the S3 gateway endpoint and the interface endpoints in `vpc_interface_endpoints`, so image pulls, logs, queue and secret traffic skip the NAT gateways (saves NAT data charges; each interface endpoint costs per AZ-hour)."
  type        = bool
  default     = false
}

variable "vpc_interface_endpoints" {
  description = "Service suffixes of the interface endpoints created when `create_vpc_endpoints` is true (com.amazonaws.<region>.<suffix>)."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "sqs", "secretsmanager"]

  validation {
    condition     = alltrue([for s in var.vpc_interface_endpoints : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "vpc_interface_endpoints entries must be service suffixes such as \"ecr.api\" or \"logs\"."
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
