# A customer-managed key: CloudWatch alarms (and SES events) cannot publish to a topic encrypted
# with the AWS-managed SNS key, whose policy cannot grant them access.

resource "aws_kms_key" "alerts" {
  count = local.create_kms_key ? 1 : 0

  description             = "Encrypts the ${var.name} SNS topics (alerts, SES events)."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.alerts_key[0].json

  tags = var.tags
}

resource "aws_kms_alias" "alerts" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-alerts"
  target_key_id = aws_kms_key.alerts[0].key_id
}

data "aws_iam_policy_document" "alerts_key" {
  count = local.create_kms_key ? 1 : 0

  # The account keeps full control of the key through IAM (the usual default key policy),
  # spelled out action by action.
  statement {
    sid = "AccountAdministersKey"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListGrants",
      "kms:ListKeyPolicies",
      "kms:ListKeyRotations",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:RetireGrant",
      "kms:RevokeGrant",
      "kms:RotateKeyOnDemand",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    # In a key policy "*" means this key only.
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # No source conditions: not every publishing service sends aws:SourceAccount to KMS, and the
  # topics' own policies already decide who may publish.
  statement {
    sid     = "ServicesPublishToEncryptedTopics"
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # In a key policy "*" means this key only.
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = var.kms_key_service_principals
    }
  }
}
