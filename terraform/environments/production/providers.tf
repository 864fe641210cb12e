provider "aws" {
  region = var.region

  # Environment on every resource: the IAM boundary (modules/github-oidc) confines each
  # environment's roles to resources carrying their own.
  default_tags {
    tags = {
      Environment = "production"
      ManagedBy   = "terraform"
      Repository  = var.github_repository
    }
  }
}
