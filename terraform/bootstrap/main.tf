# The state bucket for every environment root. This root keeps its own (tiny) state locally: it
# must exist before any remote backend can. Locking uses S3's native lockfile (use_lockfile = true
# in the roots' backends), so no DynamoDB table is needed.

data "aws_caller_identity" "current" {}

locals {
  state_bucket_name = var.state_bucket_name != null ? var.state_bucket_name : "${var.project}-tfstate-${data.aws_caller_identity.current.account_id}-${var.region}"
}

resource "aws_s3_bucket" "state" {
  # Versioning is the recovery path and the roles' access is per environment prefix; server access
  # logs would need a second bucket this root does not own (CloudTrail data events audit reads).
  #checkov:skip=CKV_AWS_18:access to the state is audited with CloudTrail data events, not server access logs in another bucket
  #checkov:skip=CKV_AWS_144:state versions are the recovery path; cross-region replication is the account owner's choice
  #checkov:skip=CKV2_AWS_62:no consumer of state-object event notifications
  #trivy:ignore:AVD-AWS-0089
  bucket = local.state_bucket_name

  tags = { Name = local.state_bucket_name }

  lifecycle {
    # Losing the bucket loses every environment's state.
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Versioning lets a broken or deleted state file be restored from an earlier version.
resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}
