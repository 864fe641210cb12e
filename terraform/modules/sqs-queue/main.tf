locals {
  use_kms = var.kms_master_key_id != null
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = var.dlq_message_retention_seconds
  receive_wait_time_seconds = var.receive_wait_time_seconds

  sqs_managed_sse_enabled = local.use_kms ? null : true
  # SSE-SQS by default; a customer-managed key (kms_master_key_id) is optional: it needs key
  # policy grants for every producer and consumer, and a KMS call per data key.
  #trivy:ignore:AVD-AWS-0135
  kms_master_key_id                 = var.kms_master_key_id
  kms_data_key_reuse_period_seconds = local.use_kms ? var.kms_data_key_reuse_period_seconds : null

  tags = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds

  sqs_managed_sse_enabled = local.use_kms ? null : true
  # SSE-SQS by default; a customer-managed key (kms_master_key_id) is optional: it needs key
  # policy grants for every producer and consumer, and a KMS call per data key.
  #trivy:ignore:AVD-AWS-0135
  kms_master_key_id                 = var.kms_master_key_id
  kms_data_key_reuse_period_seconds = local.use_kms ? var.kms_data_key_reuse_period_seconds : null

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })

  tags = var.tags
}

# A separate resource, not an argument of the DLQ: the DLQ would otherwise depend on the queue
# that already depends on it through the redrive policy.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue.json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.dlq.json
}
