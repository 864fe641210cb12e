# Identity-policy documents for the two task roles. Item actions apply to the table only; Query
# also to the indexes by name (an index ARN authorises nothing else). Statement ids differ from
# the other modules' documents, so the platform merges them with `source_policy_documents`.

locals {
  index_arns = [for index in aws_dynamodb_table.this.global_secondary_index : "${aws_dynamodb_table.this.arn}/index/${index.name}"]
}

# notification-api: BatchWriteItem of new state items (grouped like the SQS batches),
# DeleteItem when an enqueue definitely failed, GetItem and Query for the GET endpoints.
data "aws_iam_policy_document" "api" {
  statement {
    sid = "WriteAndReadStatusItems"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.this.arn]
  }

  statement {
    sid       = "QueryStatusTableAndIndexes"
    actions   = ["dynamodb:Query"]
    resources = concat([aws_dynamodb_table.this.arn], local.index_arns)
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]

    content {
      sid       = "UseStatusTableKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    }
  }
}

# email-sender (the status consumer and the give-up path): a receive batch's event items in
# BatchWriteItem and its records in BatchGetItem, then a conditional PutItem per record (GetItem
# when it lost a version race), and Query of the indexes. DeleteItem removes the event items it
# has just put when the notification is unknown (expired, or not this environment's); it grants
# nothing PutItem could not already overwrite. No UpdateItem: the worker never updates in place.
data "aws_iam_policy_document" "worker" {
  statement {
    sid = "RecordStatusEvents"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.this.arn]
  }

  statement {
    sid       = "QueryStatusTableAndIndexes"
    actions   = ["dynamodb:Query"]
    resources = concat([aws_dynamodb_table.this.arn], local.index_arns)
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]

    content {
      sid       = "UseStatusTableKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    }
  }
}
