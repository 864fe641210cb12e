# Terraform state access, limited to this environment's key prefix (all its regions). With S3
# native locking (use_lockfile) even `plan` writes and deletes `<key>.tflock`, so the plan role
# may write lock files, and only those.

locals {
  state_bucket_arn  = "arn:${local.partition}:s3:::${var.state_bucket_name}"
  state_objects_arn = "${local.state_bucket_arn}/${var.state_key_prefix}*"
  state_locks_arn   = "${local.state_bucket_arn}/${var.state_key_prefix}*.tflock"
}

data "aws_iam_policy_document" "state_read" {
  # Unconditioned: the S3 backend lists workspace prefixes (`env:/`) during init.
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = [local.state_objects_arn]
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [1]

    content {
      sid       = "DecryptState"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.state_kms_key_arn]
    }
  }
}

data "aws_iam_policy_document" "state_lock" {
  source_policy_documents = [data.aws_iam_policy_document.state_read.json]

  statement {
    sid       = "WriteLockFile"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [local.state_locks_arn]
  }
}
