# The notification status store (issue 13; shared names in status-design.md): one table, state
# items (`N#<id>` / `STATE`) and event items (`N#<id>` / `E#<at>#<eventId>`), with three indexes
# for the API's lookups, named as the services expect. On-demand capacity: writes follow sending
# traffic, which is bursty.

resource "aws_dynamodb_table" "this" {
  name         = var.name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "gsi1pk"
    type = "S"
  }

  attribute {
    name = "gsi1sk"
    type = "S"
  }

  attribute {
    name = "gsi2pk"
    type = "S"
  }

  attribute {
    name = "gsi3pk"
    type = "S"
  }

  attribute {
    name = "gsi3sk"
    type = "S"
  }

  # Client + reference, newest last: GET /v1/notifications?reference=...
  global_secondary_index {
    name            = "by-reference"
    hash_key        = "gsi1pk"
    range_key       = "gsi1sk"
    projection_type = "ALL"
  }

  # SES message id -> notification: the consumer only needs the key, then reads the state item.
  global_secondary_index {
    name            = "by-ses-message"
    hash_key        = "gsi2pk"
    projection_type = "KEYS_ONLY"
  }

  # Client + change time: the updatedSince change feed and plain listing.
  global_secondary_index {
    name            = "by-change"
    hash_key        = "gsi3pk"
    range_key       = "gsi3sk"
    projection_type = "ALL"
  }

  # Expired records are deleted lazily by DynamoDB; the readers also ignore items whose
  # expiresAt has passed, so retention holds before the sweep.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  server_side_encryption {
    enabled = true
    # Always encrypted; a customer-managed key is optional (null: the AWS-owned DynamoDB key).
    #checkov:skip=CKV_AWS_119:kms_key_arn is optional; a CMK adds a KMS call to the API's batched writes and every status read, and its key policy must grant both task roles
    #trivy:ignore:AVD-AWS-0025
    kms_key_arn = var.kms_key_arn
  }

  deletion_protection_enabled = var.deletion_protection_enabled

  tags = var.tags
}
