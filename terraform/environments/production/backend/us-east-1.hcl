# terraform init -reconfigure -backend-config=backend/us-east-1.hcl -backend-config="bucket=<state bucket>"
# `region` is the state bucket's region, not the environment's.
key    = "production/us-east-1/terraform.tfstate"
region = "us-east-1"
