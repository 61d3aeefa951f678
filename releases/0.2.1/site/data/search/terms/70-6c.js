NC.data("search/terms/70-6c",{"placed":[208,274],"planned":[92,232],"plans":[87,280]});
