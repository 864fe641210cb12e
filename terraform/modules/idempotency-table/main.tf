# On-demand capacity: idempotency writes follow API traffic, which is bursty and unknown up front.
resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  ttl {
    attribute_name = var.ttl_attribute_name
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  server_side_encryption {
    enabled = true
    # Always encrypted; a customer-managed key is optional (null: the AWS-owned DynamoDB key).
    #checkov:skip=CKV_AWS_119:kms_key_arn is optional; the records are idempotency keys and response digests, and a CMK adds a KMS call to every request
    #trivy:ignore:AVD-AWS-0025
    kms_key_arn = var.kms_key_arn
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  tags = var.tags
}

data "aws_iam_policy_document" "access" {
  statement {
    sid = "UseIdempotencyRecords"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.this.arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]

    content {
      sid       = "UseTableKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    }
  }
}
