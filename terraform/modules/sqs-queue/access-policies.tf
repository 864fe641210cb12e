# Identity-policy documents for the roles that use the queues, so callers attach exactly these
# permissions instead of writing their own. Batch calls (SendMessageBatch, DeleteMessageBatch,
# ChangeMessageVisibilityBatch) are authorised by the single-message actions. Statement ids
# start with `statement_id_prefix`, so one role can merge the documents of two queues.

data "aws_iam_policy_document" "producer" {
  statement {
    sid       = "${var.statement_id_prefix}SendToQueue"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.this.arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []

    content {
      sid       = "${var.statement_id_prefix}EncryptWithQueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [data.aws_kms_key.queue[0].arn]
    }
  }
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "${var.statement_id_prefix}ConsumeQueue"
    actions   = concat(local.consume_actions, ["sqs:GetQueueAttributes"])
    resources = [aws_sqs_queue.this.arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []

    content {
      sid       = "${var.statement_id_prefix}DecryptWithQueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [data.aws_kms_key.queue[0].arn]
    }
  }
}

data "aws_iam_policy_document" "dlq_producer" {
  statement {
    sid       = "${var.statement_id_prefix}SetAsideToDlq"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  dynamic "statement" {
    for_each = local.use_kms ? [1] : []

    content {
      sid       = "${var.statement_id_prefix}EncryptWithDlqKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [data.aws_kms_key.queue[0].arn]
    }
  }
}

# Resolves an alias or key ID to the key ARN that IAM policies need.
data "aws_kms_key" "queue" {
  count = local.use_kms ? 1 : 0

  key_id = var.kms_master_key_id
}
