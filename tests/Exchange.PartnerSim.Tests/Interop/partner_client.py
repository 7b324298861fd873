"""A partner system written in Python: a second, independent gRPC stack (grpcio) calling the simulator through
client code generated from protos/ with grpc_tools.protoc. Prints one JSON object with what it saw.

Usage: python3 partner_client.py GENERATED_DIR ADDRESS CITIZEN_ID INSURED_REGION
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from exchange.directory.v1 import directory_pb2, directory_pb2_grpc  # noqa: E402
from exchange.medical.v1 import settlement_pb2, settlement_pb2_grpc  # noqa: E402
from exchange.socialsecurity.v1 import card_pb2, card_pb2_grpc  # noqa: E402
from exchange.v1 import common_pb2  # noqa: E402

address, citizen_id, region = sys.argv[2], sys.argv[3], sys.argv[4]
result = {}
with grpc.insecure_channel(address) as channel:
    directory = directory_pb2_grpc.DirectoryServiceStub(channel)
    services = directory.ListServices(directory_pb2.ListServicesRequest(), timeout=10)
    result["services"] = {s.full_name: len(s.methods) for s in services.services}

    cards = card_pb2_grpc.SocialSecurityCardServiceStub(channel)
    card = cards.VerifyCard(card_pb2.VerifyCardRequest(
        issuing_region=region, citizen_id=citizen_id,
        purpose=common_pb2.PURPOSE_OF_USE_PUBLIC_SERVICE_ACCESS), timeout=10)
    result["card_status"] = card_pb2.CardStatus.Name(card.card.status)
    result["card_valid"] = card.valid

    settlement = settlement_pb2_grpc.CrossRegionSettlementServiceStub(channel)
    visit = settlement_pb2.Visit(
        treatment_region="341021", citizen_id=citizen_id,
        hospital=settlement_pb2.Hospital(code="H34102100001", level=settlement_pb2.HOSPITAL_LEVEL_SECONDARY),
        visit_id="PY-VISIT-1",
        fee_items=[
            settlement_pb2.FeeItem(item_code="XA01", catalogue_class=settlement_pb2.CATALOGUE_CLASS_A,
                                   amount=common_pb2.Money(fen=50000)),
            settlement_pb2.FeeItem(item_code="XB02", catalogue_class=settlement_pb2.CATALOGUE_CLASS_B,
                                   amount=common_pb2.Money(fen=12345)),
        ])
    pre = settlement.PreSettle(settlement_pb2.PreSettleRequest(
        insured_region=region, visit=visit, purpose=common_pb2.PURPOSE_OF_USE_MEDICAL_SETTLEMENT), timeout=10)
    a = pre.amounts
    result["pre_settle"] = {
        "total": a.total.fen, "fund": a.fund_payment.fen, "personal": a.personal_payment.fen,
        "account": a.account_payment.fen, "cash": a.cash_payment.fen,
    }

    try:
        cards.VerifyCard(card_pb2.VerifyCardRequest(
            issuing_region=region, citizen_id="110105194912310021",
            purpose=common_pb2.PURPOSE_OF_USE_PUBLIC_SERVICE_ACCESS), timeout=10)
        result["bad_id"] = "OK"
    except grpc.RpcError as error:
        trailers = dict(error.trailing_metadata() or ())
        result["bad_id"] = error.code().name
        result["bad_id_has_details"] = "grpc-status-details-bin" in trailers

print(json.dumps(result))
