# terraform init -reconfigure -backend-config=backend/us-west-2.hcl -backend-config="bucket=<state bucket>"
# `region` is the state bucket's region (us-east-1), not the environment's.
key    = "production/us-west-2/terraform.tfstate"
region = "us-east-1"
