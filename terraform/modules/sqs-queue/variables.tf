variable "name" {
  description = "Name of the queue, e.g. `notify-staging-email`. The dead-letter queue is named `<name>-dlq`."
  type        = string

  validation {
    # 80 characters is SQS's limit; the "-dlq" suffix needs 4 of them.
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.name))
    error_message = "name must be 1-76 characters of letters, digits, hyphens and underscores (the DLQ adds \"-dlq\" within SQS's 80-character limit)."
  }
}

variable "visibility_timeout_seconds" {
  description = "Seconds a received message stays hidden from other consumers. Must cover the worker's longest send attempt plus its backoff; the worker reads the same value (VISIBILITY_TIMEOUT_SECONDS)."
  type        = number
  default     = 60

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be a whole number from 0 to 43200 (12 hours)."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-poll wait of ReceiveMessage in seconds (20 = fewest empty receives, lowest cost)."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20 && floor(var.receive_wait_time_seconds) == var.receive_wait_time_seconds
    error_message = "receive_wait_time_seconds must be a whole number from 0 to 20."
  }
}

variable "message_retention_seconds" {
  description = "Seconds the queue keeps a message that nobody deletes (default 4 days)."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

variable "max_receive_count" {
  description = "Receives after which SQS moves a message to the dead-letter queue (redrive policy `maxReceiveCount`). The worker reads the same value (MAX_RECEIVE_COUNT)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}

variable "dlq_message_retention_seconds" {
  description = "Seconds the dead-letter queue keeps a message (default 14 days, the maximum). A standard DLQ keeps the original enqueue time, so this must be at least the queue's retention."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= var.message_retention_seconds && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be at least message_retention_seconds and at most 1209600 (14 days)."
  }
}

variable "kms_master_key_id" {
  description = "KMS key (ID, ARN or alias) for server-side encryption of both queues. Null uses SQS-managed encryption (SSE-SQS), which needs no key policy."
  type        = string
  default     = null
}

variable "kms_data_key_reuse_period_seconds" {
  description = "Seconds SQS reuses a data key before calling KMS again (only with `kms_master_key_id`)."
  type        = number
  default     = 300

  validation {
    condition     = var.kms_data_key_reuse_period_seconds >= 60 && var.kms_data_key_reuse_period_seconds <= 86400
    error_message = "kms_data_key_reuse_period_seconds must be from 60 to 86400."
  }
}

variable "producer_role_arns" {
  description = "IAM role ARNs that may send to the queue (the API's task role). Every other principal is denied sqs:SendMessage, except `operator_role_arns` and `service_producers`. Empty only when `service_producers` is not."
  type        = list(string)

  validation {
    condition     = (length(var.producer_role_arns) > 0 || length(var.service_producers) > 0) && alltrue([for a in var.producer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "producer_role_arns must hold IAM role ARNs (arn:aws:iam::<account>:role/<name>), at least one unless service_producers is set."
  }
}

variable "service_producers" {
  description = "AWS services that send to the queue on behalf of your resources, e.g. `{ service = \"events.amazonaws.com\", source_arns = [<rule arn>] }` for an EventBridge rule target. Allowed only with `aws:SourceArn` equal to one of `source_arns`; every other source stays denied."
  type = list(object({
    service     = string
    source_arns = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.service_producers : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p.service)) && length(p.source_arns) > 0])
    error_message = "service_producers entries need a service principal (e.g. events.amazonaws.com) and at least one source ARN."
  }
}

variable "dlq_service_producers" {
  description = "AWS services that send to the dead-letter queue on behalf of your resources (an EventBridge target's dead-letter config), same shape and rule as `service_producers`."
  type = list(object({
    service     = string
    source_arns = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.dlq_service_producers : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p.service)) && length(p.source_arns) > 0])
    error_message = "dlq_service_producers entries need a service principal (e.g. events.amazonaws.com) and at least one source ARN."
  }
}

variable "statement_id_prefix" {
  description = "Prefix of the statement ids in the identity-policy outputs, so that one role can merge the documents of two queues (`source_policy_documents` rejects duplicate ids)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[A-Za-z0-9]{0,32}$", var.statement_id_prefix))
    error_message = "statement_id_prefix must be up to 32 letters and digits."
  }
}

variable "consumer_role_arns" {
  description = "IAM role ARNs that may receive, delete and change the visibility of messages (the worker's task role). Every other principal is denied those actions, except `operator_role_arns`."
  type        = list(string)

  validation {
    condition     = length(var.consumer_role_arns) > 0 && alltrue([for a in var.consumer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "consumer_role_arns must list at least one IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "dlq_producer_role_arns" {
  description = "IAM role ARNs that may send to the dead-letter queue themselves (the worker sets permanent failures aside with their reason). SQS's own redrive needs no entry here."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.dlq_producer_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "dlq_producer_role_arns must hold IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "operator_role_arns" {
  description = "IAM role ARNs (wildcards allowed, e.g. an SSO admin role) exempt from the send/receive restrictions on both queues, so an operator can inspect the DLQ and redrive it (StartMessageMoveTask receives from the DLQ and sends to the queue as the caller)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.operator_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "operator_role_arns must hold IAM role ARNs (arn:aws:iam::<account>:role/<name>, wildcards allowed in the name)."
  }
}

variable "tags" {
  description = "Tags added to both queues."
  type        = map(string)
  default     = {}
}
