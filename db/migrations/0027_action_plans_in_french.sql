-- The action plans' titles in French, beside the English ones: about half of the dialogue's partners work in French,
-- and a plan's areas and objectives are what a focal point places a request under. Optional, so that a plan loaded
-- before (or by a client that gives English only) stays valid; a French reader then sees the English title.
ALTER TABLE "action_plan_areas" ADD COLUMN "title_fr" text;--> statement-breakpoint
ALTER TABLE "action_plan_objectives" ADD COLUMN "title_fr" text;--> statement-breakpoint
ALTER TABLE "action_plans" ADD COLUMN "title_fr" text;--> statement-breakpoint
-- The plan seeded by migration 0012, in French. Only where its English is still the seeded one: an administrator
-- who has replaced a title meanwhile wrote something this translation no longer matches.
UPDATE action_plans SET title_fr = 'Plan d’action de Cadix 2023–2027'
  WHERE id = 'cadiz-2023-2027' AND title = 'Cadiz Action Plan 2023–2027';--> statement-breakpoint
UPDATE action_plan_areas AS a SET title_fr = f.title_fr
  FROM (VALUES
    (1, 'Development benefits of migration / root causes of irregular migration and forced displacement',
        'Bénéfices de la migration pour le développement / causes profondes de la migration irrégulière et des déplacements forcés'),
    (2, 'Regular migration and mobility', 'Migration régulière et mobilité'),
    (3, 'Protection and asylum', 'Protection et asile'),
    (4, 'Irregular migration, migrant smuggling and trafficking in human beings',
        'Migration irrégulière, trafic illicite de migrants et traite des êtres humains'),
    (5, 'Return, readmission and sustainable reintegration', 'Retour, réadmission et réintégration durable')
  ) AS f(area, title, title_fr)
  WHERE a.plan_id = 'cadiz-2023-2027' AND a.area = f.area AND a.title = f.title;--> statement-breakpoint
UPDATE action_plan_objectives AS o SET title_fr = f.title_fr
  FROM (VALUES
    ('1', 'Maximise the positive impact of regular migration', 'Maximiser l’impact positif de la migration régulière'),
    ('2', 'Understand the root causes of irregular migration and forced displacement',
          'Comprendre les causes profondes de la migration irrégulière et des déplacements forcés'),
    ('3', 'Promote regular migration and mobility, especially of young people and women',
          'Promouvoir la migration régulière et la mobilité, en particulier des jeunes et des femmes'),
    ('4', 'Encourage the facilitation of visa issuance procedures', 'Encourager la facilitation des procédures de délivrance des visas'),
    ('5a', 'Enhance the protection of refugees and the forcibly displaced',
           'Renforcer la protection des réfugiés et des personnes déplacées de force'),
    ('5b', 'Promote actions to respect the dignity and the human rights of migrants',
           'Promouvoir les actions qui respectent la dignité et les droits humains des migrants'),
    ('6', 'Promote the integration of refugees and the forcibly displaced into host communities',
          'Promouvoir l’intégration des réfugiés et des personnes déplacées de force dans les communautés d’accueil')
  ) AS f(code, title, title_fr)
  WHERE o.plan_id = 'cadiz-2023-2027' AND o.code = f.code AND o.title = f.title;
