/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminCatalog {\n    products(first: 100) {\n      edges {\n        node {\n          id\n          code\n          name\n          description\n          features\n        }\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n          pricingModel\n          interval\n          intervalCount\n          trialDays\n          features\n          price {\n            amount\n            currency\n          }\n          tiers {\n            upTo\n            unitAmount\n            flatAmount\n          }\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n    coupons {\n      id\n      code\n      name\n      percentOffBasisPoints\n      amountsOff\n      duration\n      durationInPeriods\n      maxRedemptions\n      timesRedeemed\n      redeemBy\n      active\n    }\n  }\n": typeof types.AdminCatalogDocument,
    "\n  mutation AdminCreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateProductDocument,
    "\n  mutation AdminCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.AdminCreatePlanDocument,
    "\n  mutation AdminChangePlanPrice($input: ChangePlanPriceInput!) {\n    changePlanPrice(input: $input) {\n      id\n      version\n    }\n  }\n": typeof types.AdminChangePlanPriceDocument,
    "\n  mutation AdminArchivePlan($id: ID!) {\n    archivePlan(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminArchivePlanDocument,
    "\n  mutation AdminCreateCoupon($input: CreateCouponInput!) {\n    createCoupon(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateCouponDocument,
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    createdAt\n    actorType\n    actorId\n    action\n    changes\n  }\n": typeof types.AuditEventFieldsFragmentDoc,
    "\n  fragment AdminPaymentFields on Payment {\n    id\n    createdAt\n    completedAt\n    provider\n    status\n    attempt\n    providerReference\n    receiptNumber\n    hardDecline\n    failureCode\n    failureMessage\n    amount {\n      amount\n      currency\n    }\n  }\n": typeof types.AdminPaymentFieldsFragmentDoc,
    "\n  query AdminApps {\n    apiClients {\n      id\n      name\n      scopes\n      returnOrigins\n      createdAt\n      disabledAt\n      keys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": typeof types.AdminAppsDocument,
    "\n  mutation AdminCreateApp($input: CreateApiClientInput!) {\n    createApiClient(input: $input) {\n      id\n    }\n  }\n": typeof types.AdminCreateAppDocument,
    "\n  mutation AdminCreateKey($apiClientId: ID!, $name: String!) {\n    createApiKey(apiClientId: $apiClientId, name: $name) {\n      key\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n": typeof types.AdminCreateKeyDocument,
    "\n  mutation AdminRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.AdminRevokeKeyDocument,
    "\n  query AdminCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      email\n      phone\n      externalId\n      locale\n      status\n      createdAt\n      deletedAt\n      creditBalance {\n        amount\n        currency\n      }\n      subscriptions {\n        id\n        status\n        quantity\n        currentPeriodEnd\n        createdAt\n        plan {\n          id\n          name\n        }\n      }\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n      }\n      payments {\n        ...AdminPaymentFields\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n": typeof types.AdminCustomerDocument,
    "\n  query AdminCustomers($first: Int, $after: String, $filter: CustomerFilter) {\n    customers(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          name\n          email\n          phone\n          externalId\n          status\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminCustomersDocument,
    "\n  query AdminInvoices($first: Int, $after: String, $filter: InvoiceFilter) {\n    invoices(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          htmlUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AdminInvoicesDocument,
    "\n  query AdminReport($from: DateTimeISO!, $to: DateTimeISO!) {\n    billingReport(from: $from, to: $to) {\n      asOf\n      subscriptionsByStatus {\n        status\n        count\n      }\n      monthlyRecurringRevenue {\n        amount\n        currency\n      }\n      invoiced {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n      collected {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": typeof types.AdminReportDocument,
    "\n  query AdminSubscription($id: ID!) {\n    subscription(id: $id) {\n      id\n      workflowId\n      endReason\n      customer {\n        id\n        name\n        email\n        phone\n      }\n      invoices {\n        id\n        number\n        status\n        kind\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n        payments {\n          ...AdminPaymentFields\n        }\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n": typeof types.AdminSubscriptionDocument,
    "\n  query AdminSubscriptions($first: Int, $after: String, $filter: SubscriptionFilter) {\n    subscriptions(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          status\n          quantity\n          createdAt\n          currentPeriodEnd\n          cancelAtPeriodEnd\n          customer {\n            id\n            name\n          }\n          plan {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n        }\n      }\n    }\n  }\n": typeof types.AdminSubscriptionsDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    user {\n      id\n      role\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": typeof types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": typeof types.LogoutDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n    }\n  }\n": typeof types.RegisterDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      emailVerifiedAt\n    }\n  }\n": typeof types.VerifyEmailDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  fragment HostedSessionFields on HostedSessionLogin {\n    kind\n    accessToken\n    accessTokenExpiresAt\n    appName\n    customer {\n      id\n      name\n      email\n      phone\n      locale\n    }\n    plan {\n      ...PlanFields\n    }\n    quantity\n    couponCode\n    successUrl\n    cancelUrl\n    returnUrl\n  }\n": typeof types.HostedSessionFieldsFragmentDoc,
    "\n  mutation RedeemHostedSession($token: String!) {\n    redeemHostedSession(token: $token) {\n      ...HostedSessionFields\n    }\n  }\n": typeof types.RedeemHostedSessionDocument,
    "\n  mutation Subscribe($input: SubscribeInput!) {\n    subscribe(input: $input) {\n      id\n      status\n      trialEnd\n      paymentProvider\n    }\n  }\n": typeof types.SubscribeDocument,
    "\n  query PreviewPlanChange($input: ChangePlanInput!) {\n    previewPlanChange(input: $input) {\n      timing\n      effectiveAt\n      lines {\n        kind\n        description\n        amount\n      }\n      amountDueNow\n      creditApplied\n      creditGranted\n      nextPeriodAmount\n      currency\n    }\n  }\n": typeof types.PreviewPlanChangeDocument,
    "\n  query SubscriptionDetails($id: ID!) {\n    subscription(id: $id) {\n      ...SubscriptionSummaryFields\n      resumesAtPeriod\n      pendingChangeAtPeriod\n      endReason\n    }\n  }\n": typeof types.SubscriptionDetailsDocument,
    "\n  subscription SubscriptionChanged($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      id\n      status\n      updatedAt\n    }\n  }\n": typeof types.SubscriptionChangedDocument,
    "\n  mutation ChangePlan($input: ChangePlanInput!) {\n    changePlan(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.ChangePlanDocument,
    "\n  mutation CancelSubscription($input: CancelSubscriptionInput!) {\n    cancelSubscription(input: $input) {\n      id\n      status\n      cancelAtPeriodEnd\n    }\n  }\n": typeof types.CancelSubscriptionDocument,
    "\n  mutation UncancelSubscription($input: UncancelSubscriptionInput!) {\n    uncancelSubscription(input: $input) {\n      id\n      cancelAtPeriodEnd\n    }\n  }\n": typeof types.UncancelSubscriptionDocument,
    "\n  mutation PauseSubscription($input: PauseSubscriptionInput!) {\n    pauseSubscription(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.PauseSubscriptionDocument,
    "\n  mutation ResumeSubscription($input: ResumeSubscriptionInput!) {\n    resumeSubscription(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.ResumeSubscriptionDocument,
    "\n  fragment PaymentFields on Payment {\n    id\n    status\n    attempt\n    provider\n    failureCode\n    failureMessage\n    hardDecline\n    approvalUrl\n    receiptNumber\n    updatedAt\n    amount {\n      amount\n      currency\n    }\n  }\n": typeof types.PaymentFieldsFragmentDoc,
    "\n  fragment PaymentStateFields on Subscription {\n    id\n    status\n    updatedAt\n    trialEnd\n    paymentProvider\n    paymentMethodLabel\n    approvalUrl\n    invoices {\n      id\n      number\n      status\n      periodIndex\n      amountDue {\n        amount\n        currency\n      }\n      payments {\n        ...PaymentFields\n      }\n    }\n  }\n": typeof types.PaymentStateFieldsFragmentDoc,
    "\n  query SubscriptionPayment($id: ID!) {\n    subscription(id: $id) {\n      ...PaymentStateFields\n    }\n  }\n": typeof types.SubscriptionPaymentDocument,
    "\n  subscription SubscriptionPaymentLive($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      ...PaymentStateFields\n    }\n  }\n": typeof types.SubscriptionPaymentLiveDocument,
    "\n  subscription PaymentLive($invoiceId: ID!) {\n    paymentUpdated(invoiceId: $invoiceId) {\n      ...PaymentFields\n    }\n  }\n": typeof types.PaymentLiveDocument,
    "\n  mutation PayInvoice($input: PayInvoiceInput!) {\n    payInvoice(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.PayInvoiceDocument,
    "\n  mutation UpdatePaymentMethod($input: UpdatePaymentMethodInput!) {\n    updatePaymentMethod(input: $input) {\n      id\n      paymentProvider\n      paymentMethodLabel\n    }\n  }\n": typeof types.UpdatePaymentMethodDocument,
    "\n  fragment PlanFields on Plan {\n    id\n    name\n    description\n    tier\n    status\n    features\n    limits\n    interval\n    intervalCount\n    trialDays\n    pricingModel\n    tiers {\n      upTo\n      unitAmount\n      flatAmount\n    }\n    price {\n      amount\n      currency\n    }\n    product {\n      id\n      name\n      description\n    }\n  }\n": typeof types.PlanFieldsFragmentDoc,
    "\n  query ActivePlans {\n    plans(first: 100, filter: { status: ACTIVE }) {\n      edges {\n        node {\n          ...PlanFields\n        }\n      }\n    }\n  }\n": typeof types.ActivePlansDocument,
    "\n  fragment SubscriptionSummaryFields on Subscription {\n    id\n    status\n    quantity\n    createdAt\n    trialStart\n    trialEnd\n    currentPeriodStart\n    currentPeriodEnd\n    cancelAtPeriodEnd\n    canceledAt\n    endedAt\n    pausedAt\n    paymentProvider\n    paymentMethodLabel\n    pendingQuantity\n    plan {\n      ...PlanFields\n    }\n    pendingPlan {\n      id\n      name\n      pricingModel\n      interval\n      intervalCount\n      price {\n        amount\n        currency\n      }\n      tiers {\n        upTo\n        unitAmount\n        flatAmount\n      }\n    }\n    invoices {\n      id\n      number\n      kind\n      status\n      periodStart\n      periodEnd\n      issuedAt\n      dueAt\n      paidAt\n      amountDue {\n        amount\n        currency\n      }\n      total {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.SubscriptionSummaryFieldsFragmentDoc,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      role\n      emailVerifiedAt\n      customer {\n        id\n        name\n        email\n        phone\n        locale\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Dashboard {\n    subscriptions(first: 20) {\n      edges {\n        node {\n          ...SubscriptionSummaryFields\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query Invoices {\n    invoices(first: 50) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          periodStart\n          periodEnd\n          htmlUrl\n          pdfUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n    }\n    subscriptions(first: 50) {\n      edges {\n        node {\n          id\n          plan {\n            id\n            name\n          }\n          invoices {\n            id\n          }\n        }\n      }\n    }\n  }\n": typeof types.InvoicesDocument,
    "\n  fragment ProfileFields on Customer {\n    id\n    name\n    email\n    phone\n    locale\n    address {\n      line1\n      line2\n      city\n      region\n      postalCode\n      country\n    }\n    preferences {\n      renewalReminders\n      trialEndingReminders\n      productUpdates\n    }\n  }\n": typeof types.ProfileFieldsFragmentDoc,
    "\n  query Profile {\n    me {\n      id\n      email\n      customer {\n        ...ProfileFields\n      }\n    }\n  }\n": typeof types.ProfileDocument,
    "\n  mutation UpdateProfile($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) {\n      ...ProfileFields\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  query SubscribePlan($id: ID!) {\n    plan(id: $id) {\n      ...PlanFields\n    }\n  }\n": typeof types.SubscribePlanDocument,
};
const documents: Documents = {
    "\n  query AdminCatalog {\n    products(first: 100) {\n      edges {\n        node {\n          id\n          code\n          name\n          description\n          features\n        }\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n          pricingModel\n          interval\n          intervalCount\n          trialDays\n          features\n          price {\n            amount\n            currency\n          }\n          tiers {\n            upTo\n            unitAmount\n            flatAmount\n          }\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n    coupons {\n      id\n      code\n      name\n      percentOffBasisPoints\n      amountsOff\n      duration\n      durationInPeriods\n      maxRedemptions\n      timesRedeemed\n      redeemBy\n      active\n    }\n  }\n": types.AdminCatalogDocument,
    "\n  mutation AdminCreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateProductDocument,
    "\n  mutation AdminCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      id\n      name\n    }\n  }\n": types.AdminCreatePlanDocument,
    "\n  mutation AdminChangePlanPrice($input: ChangePlanPriceInput!) {\n    changePlanPrice(input: $input) {\n      id\n      version\n    }\n  }\n": types.AdminChangePlanPriceDocument,
    "\n  mutation AdminArchivePlan($id: ID!) {\n    archivePlan(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminArchivePlanDocument,
    "\n  mutation AdminCreateCoupon($input: CreateCouponInput!) {\n    createCoupon(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateCouponDocument,
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    createdAt\n    actorType\n    actorId\n    action\n    changes\n  }\n": types.AuditEventFieldsFragmentDoc,
    "\n  fragment AdminPaymentFields on Payment {\n    id\n    createdAt\n    completedAt\n    provider\n    status\n    attempt\n    providerReference\n    receiptNumber\n    hardDecline\n    failureCode\n    failureMessage\n    amount {\n      amount\n      currency\n    }\n  }\n": types.AdminPaymentFieldsFragmentDoc,
    "\n  query AdminApps {\n    apiClients {\n      id\n      name\n      scopes\n      returnOrigins\n      createdAt\n      disabledAt\n      keys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": types.AdminAppsDocument,
    "\n  mutation AdminCreateApp($input: CreateApiClientInput!) {\n    createApiClient(input: $input) {\n      id\n    }\n  }\n": types.AdminCreateAppDocument,
    "\n  mutation AdminCreateKey($apiClientId: ID!, $name: String!) {\n    createApiKey(apiClientId: $apiClientId, name: $name) {\n      key\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n": types.AdminCreateKeyDocument,
    "\n  mutation AdminRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.AdminRevokeKeyDocument,
    "\n  query AdminCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      email\n      phone\n      externalId\n      locale\n      status\n      createdAt\n      deletedAt\n      creditBalance {\n        amount\n        currency\n      }\n      subscriptions {\n        id\n        status\n        quantity\n        currentPeriodEnd\n        createdAt\n        plan {\n          id\n          name\n        }\n      }\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n      }\n      payments {\n        ...AdminPaymentFields\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n": types.AdminCustomerDocument,
    "\n  query AdminCustomers($first: Int, $after: String, $filter: CustomerFilter) {\n    customers(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          name\n          email\n          phone\n          externalId\n          status\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminCustomersDocument,
    "\n  query AdminInvoices($first: Int, $after: String, $filter: InvoiceFilter) {\n    invoices(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          htmlUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AdminInvoicesDocument,
    "\n  query AdminReport($from: DateTimeISO!, $to: DateTimeISO!) {\n    billingReport(from: $from, to: $to) {\n      asOf\n      subscriptionsByStatus {\n        status\n        count\n      }\n      monthlyRecurringRevenue {\n        amount\n        currency\n      }\n      invoiced {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n      collected {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": types.AdminReportDocument,
    "\n  query AdminSubscription($id: ID!) {\n    subscription(id: $id) {\n      id\n      workflowId\n      endReason\n      customer {\n        id\n        name\n        email\n        phone\n      }\n      invoices {\n        id\n        number\n        status\n        kind\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n        payments {\n          ...AdminPaymentFields\n        }\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n": types.AdminSubscriptionDocument,
    "\n  query AdminSubscriptions($first: Int, $after: String, $filter: SubscriptionFilter) {\n    subscriptions(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          status\n          quantity\n          createdAt\n          currentPeriodEnd\n          cancelAtPeriodEnd\n          customer {\n            id\n            name\n          }\n          plan {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n        }\n      }\n    }\n  }\n": types.AdminSubscriptionsDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    user {\n      id\n      role\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n": types.RefreshDocument,
    "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n": types.LogoutDocument,
    "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n    }\n  }\n": types.RegisterDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      emailVerifiedAt\n    }\n  }\n": types.VerifyEmailDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  fragment HostedSessionFields on HostedSessionLogin {\n    kind\n    accessToken\n    accessTokenExpiresAt\n    appName\n    customer {\n      id\n      name\n      email\n      phone\n      locale\n    }\n    plan {\n      ...PlanFields\n    }\n    quantity\n    couponCode\n    successUrl\n    cancelUrl\n    returnUrl\n  }\n": types.HostedSessionFieldsFragmentDoc,
    "\n  mutation RedeemHostedSession($token: String!) {\n    redeemHostedSession(token: $token) {\n      ...HostedSessionFields\n    }\n  }\n": types.RedeemHostedSessionDocument,
    "\n  mutation Subscribe($input: SubscribeInput!) {\n    subscribe(input: $input) {\n      id\n      status\n      trialEnd\n      paymentProvider\n    }\n  }\n": types.SubscribeDocument,
    "\n  query PreviewPlanChange($input: ChangePlanInput!) {\n    previewPlanChange(input: $input) {\n      timing\n      effectiveAt\n      lines {\n        kind\n        description\n        amount\n      }\n      amountDueNow\n      creditApplied\n      creditGranted\n      nextPeriodAmount\n      currency\n    }\n  }\n": types.PreviewPlanChangeDocument,
    "\n  query SubscriptionDetails($id: ID!) {\n    subscription(id: $id) {\n      ...SubscriptionSummaryFields\n      resumesAtPeriod\n      pendingChangeAtPeriod\n      endReason\n    }\n  }\n": types.SubscriptionDetailsDocument,
    "\n  subscription SubscriptionChanged($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      id\n      status\n      updatedAt\n    }\n  }\n": types.SubscriptionChangedDocument,
    "\n  mutation ChangePlan($input: ChangePlanInput!) {\n    changePlan(input: $input) {\n      id\n      status\n    }\n  }\n": types.ChangePlanDocument,
    "\n  mutation CancelSubscription($input: CancelSubscriptionInput!) {\n    cancelSubscription(input: $input) {\n      id\n      status\n      cancelAtPeriodEnd\n    }\n  }\n": types.CancelSubscriptionDocument,
    "\n  mutation UncancelSubscription($input: UncancelSubscriptionInput!) {\n    uncancelSubscription(input: $input) {\n      id\n      cancelAtPeriodEnd\n    }\n  }\n": types.UncancelSubscriptionDocument,
    "\n  mutation PauseSubscription($input: PauseSubscriptionInput!) {\n    pauseSubscription(input: $input) {\n      id\n      status\n    }\n  }\n": types.PauseSubscriptionDocument,
    "\n  mutation ResumeSubscription($input: ResumeSubscriptionInput!) {\n    resumeSubscription(input: $input) {\n      id\n      status\n    }\n  }\n": types.ResumeSubscriptionDocument,
    "\n  fragment PaymentFields on Payment {\n    id\n    status\n    attempt\n    provider\n    failureCode\n    failureMessage\n    hardDecline\n    approvalUrl\n    receiptNumber\n    updatedAt\n    amount {\n      amount\n      currency\n    }\n  }\n": types.PaymentFieldsFragmentDoc,
    "\n  fragment PaymentStateFields on Subscription {\n    id\n    status\n    updatedAt\n    trialEnd\n    paymentProvider\n    paymentMethodLabel\n    approvalUrl\n    invoices {\n      id\n      number\n      status\n      periodIndex\n      amountDue {\n        amount\n        currency\n      }\n      payments {\n        ...PaymentFields\n      }\n    }\n  }\n": types.PaymentStateFieldsFragmentDoc,
    "\n  query SubscriptionPayment($id: ID!) {\n    subscription(id: $id) {\n      ...PaymentStateFields\n    }\n  }\n": types.SubscriptionPaymentDocument,
    "\n  subscription SubscriptionPaymentLive($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      ...PaymentStateFields\n    }\n  }\n": types.SubscriptionPaymentLiveDocument,
    "\n  subscription PaymentLive($invoiceId: ID!) {\n    paymentUpdated(invoiceId: $invoiceId) {\n      ...PaymentFields\n    }\n  }\n": types.PaymentLiveDocument,
    "\n  mutation PayInvoice($input: PayInvoiceInput!) {\n    payInvoice(input: $input) {\n      id\n      status\n    }\n  }\n": types.PayInvoiceDocument,
    "\n  mutation UpdatePaymentMethod($input: UpdatePaymentMethodInput!) {\n    updatePaymentMethod(input: $input) {\n      id\n      paymentProvider\n      paymentMethodLabel\n    }\n  }\n": types.UpdatePaymentMethodDocument,
    "\n  fragment PlanFields on Plan {\n    id\n    name\n    description\n    tier\n    status\n    features\n    limits\n    interval\n    intervalCount\n    trialDays\n    pricingModel\n    tiers {\n      upTo\n      unitAmount\n      flatAmount\n    }\n    price {\n      amount\n      currency\n    }\n    product {\n      id\n      name\n      description\n    }\n  }\n": types.PlanFieldsFragmentDoc,
    "\n  query ActivePlans {\n    plans(first: 100, filter: { status: ACTIVE }) {\n      edges {\n        node {\n          ...PlanFields\n        }\n      }\n    }\n  }\n": types.ActivePlansDocument,
    "\n  fragment SubscriptionSummaryFields on Subscription {\n    id\n    status\n    quantity\n    createdAt\n    trialStart\n    trialEnd\n    currentPeriodStart\n    currentPeriodEnd\n    cancelAtPeriodEnd\n    canceledAt\n    endedAt\n    pausedAt\n    paymentProvider\n    paymentMethodLabel\n    pendingQuantity\n    plan {\n      ...PlanFields\n    }\n    pendingPlan {\n      id\n      name\n      pricingModel\n      interval\n      intervalCount\n      price {\n        amount\n        currency\n      }\n      tiers {\n        upTo\n        unitAmount\n        flatAmount\n      }\n    }\n    invoices {\n      id\n      number\n      kind\n      status\n      periodStart\n      periodEnd\n      issuedAt\n      dueAt\n      paidAt\n      amountDue {\n        amount\n        currency\n      }\n      total {\n        amount\n        currency\n      }\n    }\n  }\n": types.SubscriptionSummaryFieldsFragmentDoc,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.ChangePasswordDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      role\n      emailVerifiedAt\n      customer {\n        id\n        name\n        email\n        phone\n        locale\n      }\n    }\n  }\n": types.MeDocument,
    "\n  query Dashboard {\n    subscriptions(first: 20) {\n      edges {\n        node {\n          ...SubscriptionSummaryFields\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query Invoices {\n    invoices(first: 50) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          periodStart\n          periodEnd\n          htmlUrl\n          pdfUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n    }\n    subscriptions(first: 50) {\n      edges {\n        node {\n          id\n          plan {\n            id\n            name\n          }\n          invoices {\n            id\n          }\n        }\n      }\n    }\n  }\n": types.InvoicesDocument,
    "\n  fragment ProfileFields on Customer {\n    id\n    name\n    email\n    phone\n    locale\n    address {\n      line1\n      line2\n      city\n      region\n      postalCode\n      country\n    }\n    preferences {\n      renewalReminders\n      trialEndingReminders\n      productUpdates\n    }\n  }\n": types.ProfileFieldsFragmentDoc,
    "\n  query Profile {\n    me {\n      id\n      email\n      customer {\n        ...ProfileFields\n      }\n    }\n  }\n": types.ProfileDocument,
    "\n  mutation UpdateProfile($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) {\n      ...ProfileFields\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  query SubscribePlan($id: ID!) {\n    plan(id: $id) {\n      ...PlanFields\n    }\n  }\n": types.SubscribePlanDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminCatalog {\n    products(first: 100) {\n      edges {\n        node {\n          id\n          code\n          name\n          description\n          features\n        }\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n          pricingModel\n          interval\n          intervalCount\n          trialDays\n          features\n          price {\n            amount\n            currency\n          }\n          tiers {\n            upTo\n            unitAmount\n            flatAmount\n          }\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n    coupons {\n      id\n      code\n      name\n      percentOffBasisPoints\n      amountsOff\n      duration\n      durationInPeriods\n      maxRedemptions\n      timesRedeemed\n      redeemBy\n      active\n    }\n  }\n"): (typeof documents)["\n  query AdminCatalog {\n    products(first: 100) {\n      edges {\n        node {\n          id\n          code\n          name\n          description\n          features\n        }\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n          pricingModel\n          interval\n          intervalCount\n          trialDays\n          features\n          price {\n            amount\n            currency\n          }\n          tiers {\n            upTo\n            unitAmount\n            flatAmount\n          }\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n    coupons {\n      id\n      code\n      name\n      percentOffBasisPoints\n      amountsOff\n      duration\n      durationInPeriods\n      maxRedemptions\n      timesRedeemed\n      redeemBy\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateProduct($input: CreateProductInput!) {\n    createProduct(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreatePlan($input: CreatePlanInput!) {\n    createPlan(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminChangePlanPrice($input: ChangePlanPriceInput!) {\n    changePlanPrice(input: $input) {\n      id\n      version\n    }\n  }\n"): (typeof documents)["\n  mutation AdminChangePlanPrice($input: ChangePlanPriceInput!) {\n    changePlanPrice(input: $input) {\n      id\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminArchivePlan($id: ID!) {\n    archivePlan(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminArchivePlan($id: ID!) {\n    archivePlan(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateCoupon($input: CreateCouponInput!) {\n    createCoupon(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateCoupon($input: CreateCouponInput!) {\n    createCoupon(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventFields on AuditEvent {\n    id\n    createdAt\n    actorType\n    actorId\n    action\n    changes\n  }\n"): (typeof documents)["\n  fragment AuditEventFields on AuditEvent {\n    id\n    createdAt\n    actorType\n    actorId\n    action\n    changes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminPaymentFields on Payment {\n    id\n    createdAt\n    completedAt\n    provider\n    status\n    attempt\n    providerReference\n    receiptNumber\n    hardDecline\n    failureCode\n    failureMessage\n    amount {\n      amount\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment AdminPaymentFields on Payment {\n    id\n    createdAt\n    completedAt\n    provider\n    status\n    attempt\n    providerReference\n    receiptNumber\n    hardDecline\n    failureCode\n    failureMessage\n    amount {\n      amount\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminApps {\n    apiClients {\n      id\n      name\n      scopes\n      returnOrigins\n      createdAt\n      disabledAt\n      keys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminApps {\n    apiClients {\n      id\n      name\n      scopes\n      returnOrigins\n      createdAt\n      disabledAt\n      keys {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateApp($input: CreateApiClientInput!) {\n    createApiClient(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateApp($input: CreateApiClientInput!) {\n    createApiClient(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateKey($apiClientId: ID!, $name: String!) {\n    createApiKey(apiClientId: $apiClientId, name: $name) {\n      key\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateKey($apiClientId: ID!, $name: String!) {\n    createApiKey(apiClientId: $apiClientId, name: $name) {\n      key\n      apiKey {\n        id\n        prefix\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      email\n      phone\n      externalId\n      locale\n      status\n      createdAt\n      deletedAt\n      creditBalance {\n        amount\n        currency\n      }\n      subscriptions {\n        id\n        status\n        quantity\n        currentPeriodEnd\n        createdAt\n        plan {\n          id\n          name\n        }\n      }\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n      }\n      payments {\n        ...AdminPaymentFields\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      name\n      email\n      phone\n      externalId\n      locale\n      status\n      createdAt\n      deletedAt\n      creditBalance {\n        amount\n        currency\n      }\n      subscriptions {\n        id\n        status\n        quantity\n        currentPeriodEnd\n        createdAt\n        plan {\n          id\n          name\n        }\n      }\n      invoices {\n        id\n        number\n        status\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n      }\n      payments {\n        ...AdminPaymentFields\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminCustomers($first: Int, $after: String, $filter: CustomerFilter) {\n    customers(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          name\n          email\n          phone\n          externalId\n          status\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminCustomers($first: Int, $after: String, $filter: CustomerFilter) {\n    customers(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          name\n          email\n          phone\n          externalId\n          status\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminInvoices($first: Int, $after: String, $filter: InvoiceFilter) {\n    invoices(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          htmlUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminInvoices($first: Int, $after: String, $filter: InvoiceFilter) {\n    invoices(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          htmlUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminReport($from: DateTimeISO!, $to: DateTimeISO!) {\n    billingReport(from: $from, to: $to) {\n      asOf\n      subscriptionsByStatus {\n        status\n        count\n      }\n      monthlyRecurringRevenue {\n        amount\n        currency\n      }\n      invoiced {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n      collected {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminReport($from: DateTimeISO!, $to: DateTimeISO!) {\n    billingReport(from: $from, to: $to) {\n      asOf\n      subscriptionsByStatus {\n        status\n        count\n      }\n      monthlyRecurringRevenue {\n        amount\n        currency\n      }\n      invoiced {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n      collected {\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSubscription($id: ID!) {\n    subscription(id: $id) {\n      id\n      workflowId\n      endReason\n      customer {\n        id\n        name\n        email\n        phone\n      }\n      invoices {\n        id\n        number\n        status\n        kind\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n        payments {\n          ...AdminPaymentFields\n        }\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminSubscription($id: ID!) {\n    subscription(id: $id) {\n      id\n      workflowId\n      endReason\n      customer {\n        id\n        name\n        email\n        phone\n      }\n      invoices {\n        id\n        number\n        status\n        kind\n        issuedAt\n        total {\n          amount\n          currency\n        }\n        amountDue {\n          amount\n          currency\n        }\n        payments {\n          ...AdminPaymentFields\n        }\n      }\n      auditTrail {\n        ...AuditEventFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminSubscriptions($first: Int, $after: String, $filter: SubscriptionFilter) {\n    subscriptions(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          status\n          quantity\n          createdAt\n          currentPeriodEnd\n          cancelAtPeriodEnd\n          customer {\n            id\n            name\n          }\n          plan {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminSubscriptions($first: Int, $after: String, $filter: SubscriptionFilter) {\n    subscriptions(first: $first, after: $after, filter: $filter) {\n      edges {\n        node {\n          id\n          status\n          quantity\n          createdAt\n          currentPeriodEnd\n          cancelAtPeriodEnd\n          customer {\n            id\n            name\n          }\n          plan {\n            id\n            name\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    plans(first: 100) {\n      edges {\n        node {\n          id\n          name\n          version\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    user {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    user {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation Refresh($refreshToken: String!) {\n    refreshToken(refreshToken: $refreshToken) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"): (typeof documents)["\n  mutation Logout($refreshToken: String!) {\n    logout(refreshToken: $refreshToken)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation Register($input: RegisterInput!) {\n    register(input: $input) {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      emailVerifiedAt\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      emailVerifiedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HostedSessionFields on HostedSessionLogin {\n    kind\n    accessToken\n    accessTokenExpiresAt\n    appName\n    customer {\n      id\n      name\n      email\n      phone\n      locale\n    }\n    plan {\n      ...PlanFields\n    }\n    quantity\n    couponCode\n    successUrl\n    cancelUrl\n    returnUrl\n  }\n"): (typeof documents)["\n  fragment HostedSessionFields on HostedSessionLogin {\n    kind\n    accessToken\n    accessTokenExpiresAt\n    appName\n    customer {\n      id\n      name\n      email\n      phone\n      locale\n    }\n    plan {\n      ...PlanFields\n    }\n    quantity\n    couponCode\n    successUrl\n    cancelUrl\n    returnUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeemHostedSession($token: String!) {\n    redeemHostedSession(token: $token) {\n      ...HostedSessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation RedeemHostedSession($token: String!) {\n    redeemHostedSession(token: $token) {\n      ...HostedSessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Subscribe($input: SubscribeInput!) {\n    subscribe(input: $input) {\n      id\n      status\n      trialEnd\n      paymentProvider\n    }\n  }\n"): (typeof documents)["\n  mutation Subscribe($input: SubscribeInput!) {\n    subscribe(input: $input) {\n      id\n      status\n      trialEnd\n      paymentProvider\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewPlanChange($input: ChangePlanInput!) {\n    previewPlanChange(input: $input) {\n      timing\n      effectiveAt\n      lines {\n        kind\n        description\n        amount\n      }\n      amountDueNow\n      creditApplied\n      creditGranted\n      nextPeriodAmount\n      currency\n    }\n  }\n"): (typeof documents)["\n  query PreviewPlanChange($input: ChangePlanInput!) {\n    previewPlanChange(input: $input) {\n      timing\n      effectiveAt\n      lines {\n        kind\n        description\n        amount\n      }\n      amountDueNow\n      creditApplied\n      creditGranted\n      nextPeriodAmount\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SubscriptionDetails($id: ID!) {\n    subscription(id: $id) {\n      ...SubscriptionSummaryFields\n      resumesAtPeriod\n      pendingChangeAtPeriod\n      endReason\n    }\n  }\n"): (typeof documents)["\n  query SubscriptionDetails($id: ID!) {\n    subscription(id: $id) {\n      ...SubscriptionSummaryFields\n      resumesAtPeriod\n      pendingChangeAtPeriod\n      endReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SubscriptionChanged($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      id\n      status\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  subscription SubscriptionChanged($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      id\n      status\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePlan($input: ChangePlanInput!) {\n    changePlan(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePlan($input: ChangePlanInput!) {\n    changePlan(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelSubscription($input: CancelSubscriptionInput!) {\n    cancelSubscription(input: $input) {\n      id\n      status\n      cancelAtPeriodEnd\n    }\n  }\n"): (typeof documents)["\n  mutation CancelSubscription($input: CancelSubscriptionInput!) {\n    cancelSubscription(input: $input) {\n      id\n      status\n      cancelAtPeriodEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UncancelSubscription($input: UncancelSubscriptionInput!) {\n    uncancelSubscription(input: $input) {\n      id\n      cancelAtPeriodEnd\n    }\n  }\n"): (typeof documents)["\n  mutation UncancelSubscription($input: UncancelSubscriptionInput!) {\n    uncancelSubscription(input: $input) {\n      id\n      cancelAtPeriodEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseSubscription($input: PauseSubscriptionInput!) {\n    pauseSubscription(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation PauseSubscription($input: PauseSubscriptionInput!) {\n    pauseSubscription(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeSubscription($input: ResumeSubscriptionInput!) {\n    resumeSubscription(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeSubscription($input: ResumeSubscriptionInput!) {\n    resumeSubscription(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PaymentFields on Payment {\n    id\n    status\n    attempt\n    provider\n    failureCode\n    failureMessage\n    hardDecline\n    approvalUrl\n    receiptNumber\n    updatedAt\n    amount {\n      amount\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment PaymentFields on Payment {\n    id\n    status\n    attempt\n    provider\n    failureCode\n    failureMessage\n    hardDecline\n    approvalUrl\n    receiptNumber\n    updatedAt\n    amount {\n      amount\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PaymentStateFields on Subscription {\n    id\n    status\n    updatedAt\n    trialEnd\n    paymentProvider\n    paymentMethodLabel\n    approvalUrl\n    invoices {\n      id\n      number\n      status\n      periodIndex\n      amountDue {\n        amount\n        currency\n      }\n      payments {\n        ...PaymentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment PaymentStateFields on Subscription {\n    id\n    status\n    updatedAt\n    trialEnd\n    paymentProvider\n    paymentMethodLabel\n    approvalUrl\n    invoices {\n      id\n      number\n      status\n      periodIndex\n      amountDue {\n        amount\n        currency\n      }\n      payments {\n        ...PaymentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SubscriptionPayment($id: ID!) {\n    subscription(id: $id) {\n      ...PaymentStateFields\n    }\n  }\n"): (typeof documents)["\n  query SubscriptionPayment($id: ID!) {\n    subscription(id: $id) {\n      ...PaymentStateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SubscriptionPaymentLive($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      ...PaymentStateFields\n    }\n  }\n"): (typeof documents)["\n  subscription SubscriptionPaymentLive($subscriptionId: ID!) {\n    subscriptionUpdated(subscriptionId: $subscriptionId) {\n      ...PaymentStateFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PaymentLive($invoiceId: ID!) {\n    paymentUpdated(invoiceId: $invoiceId) {\n      ...PaymentFields\n    }\n  }\n"): (typeof documents)["\n  subscription PaymentLive($invoiceId: ID!) {\n    paymentUpdated(invoiceId: $invoiceId) {\n      ...PaymentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayInvoice($input: PayInvoiceInput!) {\n    payInvoice(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation PayInvoice($input: PayInvoiceInput!) {\n    payInvoice(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePaymentMethod($input: UpdatePaymentMethodInput!) {\n    updatePaymentMethod(input: $input) {\n      id\n      paymentProvider\n      paymentMethodLabel\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePaymentMethod($input: UpdatePaymentMethodInput!) {\n    updatePaymentMethod(input: $input) {\n      id\n      paymentProvider\n      paymentMethodLabel\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlanFields on Plan {\n    id\n    name\n    description\n    tier\n    status\n    features\n    limits\n    interval\n    intervalCount\n    trialDays\n    pricingModel\n    tiers {\n      upTo\n      unitAmount\n      flatAmount\n    }\n    price {\n      amount\n      currency\n    }\n    product {\n      id\n      name\n      description\n    }\n  }\n"): (typeof documents)["\n  fragment PlanFields on Plan {\n    id\n    name\n    description\n    tier\n    status\n    features\n    limits\n    interval\n    intervalCount\n    trialDays\n    pricingModel\n    tiers {\n      upTo\n      unitAmount\n      flatAmount\n    }\n    price {\n      amount\n      currency\n    }\n    product {\n      id\n      name\n      description\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActivePlans {\n    plans(first: 100, filter: { status: ACTIVE }) {\n      edges {\n        node {\n          ...PlanFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ActivePlans {\n    plans(first: 100, filter: { status: ACTIVE }) {\n      edges {\n        node {\n          ...PlanFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SubscriptionSummaryFields on Subscription {\n    id\n    status\n    quantity\n    createdAt\n    trialStart\n    trialEnd\n    currentPeriodStart\n    currentPeriodEnd\n    cancelAtPeriodEnd\n    canceledAt\n    endedAt\n    pausedAt\n    paymentProvider\n    paymentMethodLabel\n    pendingQuantity\n    plan {\n      ...PlanFields\n    }\n    pendingPlan {\n      id\n      name\n      pricingModel\n      interval\n      intervalCount\n      price {\n        amount\n        currency\n      }\n      tiers {\n        upTo\n        unitAmount\n        flatAmount\n      }\n    }\n    invoices {\n      id\n      number\n      kind\n      status\n      periodStart\n      periodEnd\n      issuedAt\n      dueAt\n      paidAt\n      amountDue {\n        amount\n        currency\n      }\n      total {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SubscriptionSummaryFields on Subscription {\n    id\n    status\n    quantity\n    createdAt\n    trialStart\n    trialEnd\n    currentPeriodStart\n    currentPeriodEnd\n    cancelAtPeriodEnd\n    canceledAt\n    endedAt\n    pausedAt\n    paymentProvider\n    paymentMethodLabel\n    pendingQuantity\n    plan {\n      ...PlanFields\n    }\n    pendingPlan {\n      id\n      name\n      pricingModel\n      interval\n      intervalCount\n      price {\n        amount\n        currency\n      }\n      tiers {\n        upTo\n        unitAmount\n        flatAmount\n      }\n    }\n    invoices {\n      id\n      number\n      kind\n      status\n      periodStart\n      periodEnd\n      issuedAt\n      dueAt\n      paidAt\n      amountDue {\n        amount\n        currency\n      }\n      total {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      role\n      emailVerifiedAt\n      customer {\n        id\n        name\n        email\n        phone\n        locale\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      role\n      emailVerifiedAt\n      customer {\n        id\n        name\n        email\n        phone\n        locale\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard {\n    subscriptions(first: 20) {\n      edges {\n        node {\n          ...SubscriptionSummaryFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard {\n    subscriptions(first: 20) {\n      edges {\n        node {\n          ...SubscriptionSummaryFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invoices {\n    invoices(first: 50) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          periodStart\n          periodEnd\n          htmlUrl\n          pdfUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n    }\n    subscriptions(first: 50) {\n      edges {\n        node {\n          id\n          plan {\n            id\n            name\n          }\n          invoices {\n            id\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Invoices {\n    invoices(first: 50) {\n      edges {\n        node {\n          id\n          number\n          kind\n          status\n          issuedAt\n          dueAt\n          paidAt\n          periodStart\n          periodEnd\n          htmlUrl\n          pdfUrl\n          total {\n            amount\n            currency\n          }\n          amountDue {\n            amount\n            currency\n          }\n        }\n      }\n    }\n    subscriptions(first: 50) {\n      edges {\n        node {\n          id\n          plan {\n            id\n            name\n          }\n          invoices {\n            id\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProfileFields on Customer {\n    id\n    name\n    email\n    phone\n    locale\n    address {\n      line1\n      line2\n      city\n      region\n      postalCode\n      country\n    }\n    preferences {\n      renewalReminders\n      trialEndingReminders\n      productUpdates\n    }\n  }\n"): (typeof documents)["\n  fragment ProfileFields on Customer {\n    id\n    name\n    email\n    phone\n    locale\n    address {\n      line1\n      line2\n      city\n      region\n      postalCode\n      country\n    }\n    preferences {\n      renewalReminders\n      trialEndingReminders\n      productUpdates\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profile {\n    me {\n      id\n      email\n      customer {\n        ...ProfileFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Profile {\n    me {\n      id\n      email\n      customer {\n        ...ProfileFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) {\n      ...ProfileFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateCustomerInput!) {\n    updateCustomer(input: $input) {\n      ...ProfileFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SubscribePlan($id: ID!) {\n    plan(id: $id) {\n      ...PlanFields\n    }\n  }\n"): (typeof documents)["\n  query SubscribePlan($id: ID!) {\n    plan(id: $id) {\n      ...PlanFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;