terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.21, < 7.0"
    }
  }

  # Partial configuration: key and region come from backend/<region>.hcl, the bucket (account-specific,
  # from the bootstrap root) from `-backend-config=bucket=...`. S3 native locking, no DynamoDB.
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
