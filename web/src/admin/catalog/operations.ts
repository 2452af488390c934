// The catalog's queries and mutations (administrators: the API refuses anyone else).
import { graphql } from '../../graphql';

export const CatalogQuery = graphql(`
  query AdminCatalog {
    products(first: 100) {
      edges {
        node {
          id
          code
          name
          description
          features
        }
      }
    }
    plans(first: 100) {
      edges {
        node {
          id
          name
          version
          status
          pricingModel
          interval
          intervalCount
          trialDays
          features
          price {
            amount
            currency
          }
          tiers {
            upTo
            unitAmount
            flatAmount
          }
          product {
            id
            name
          }
        }
      }
    }
    coupons {
      id
      code
      name
      percentOffBasisPoints
      amountsOff
      duration
      durationInPeriods
      maxRedemptions
      timesRedeemed
      redeemBy
      active
    }
  }
`);

export const CreateProductMutation = graphql(`
  mutation AdminCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      id
    }
  }
`);

export const CreatePlanMutation = graphql(`
  mutation AdminCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
      name
    }
  }
`);

export const ChangePlanPriceMutation = graphql(`
  mutation AdminChangePlanPrice($input: ChangePlanPriceInput!) {
    changePlanPrice(input: $input) {
      id
      version
    }
  }
`);

export const ArchivePlanMutation = graphql(`
  mutation AdminArchivePlan($id: ID!) {
    archivePlan(id: $id) {
      id
      status
    }
  }
`);

export const CreateCouponMutation = graphql(`
  mutation AdminCreateCoupon($input: CreateCouponInput!) {
    createCoupon(input: $input) {
      id
    }
  }
`);

export const ExpireCouponMutation = graphql(`
  mutation AdminExpireCoupon($id: ID!) {
    expireCoupon(id: $id) {
      id
      active
    }
  }
`);
