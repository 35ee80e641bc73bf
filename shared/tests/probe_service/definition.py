from pydantic_settings import SettingsConfigDict
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from dgplan_shared.consumer import EventHandlers
from dgplan_shared.db.messaging_tables import inbox_table, outbox_table
from dgplan_shared.service import ServiceDefinition
from dgplan_shared.settings import ServiceSettings

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("text", String(200), nullable=False),
)

ITEM_CREATED = "dgplan.probe.item.created.v1"
TOPIC = "probe.item.events"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROBE_", extra="ignore")


def definition() -> ServiceDefinition:
    handlers = EventHandlers()

    @handlers.on(ITEM_CREATED)
    async def item_created(uow, event):  # type: ignore[no-untyped-def]
        if event.data.get("poison"):
            raise ValueError("this event can never be handled")
        await uow.session.execute(
            insert(effects).values(event_id=event.id, seq=event.data["seq"], text=event.data.get("text", ""))
        )

    return ServiceDefinition(
        name="probe",
        title="probe",
        settings_type=Settings,
        metadata=metadata,
        outbox=outbox,
        inbox=inbox,
        migrations="probe_service:migrations",
        handlers=handlers,
        subscriptions=(TOPIC,),
    )
