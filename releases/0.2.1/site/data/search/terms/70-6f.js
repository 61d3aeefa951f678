NC.data("search/terms/70-6f",{"point":[96,262],"police":[30,217,222,278,279],"political":[96,137,215,276,279],"poses":[141,241,280],"post":[142],"power":[76,85,175,206,253],"powerful":[278]});
