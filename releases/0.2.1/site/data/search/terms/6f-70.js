NC.data("search/terms/6f-70",{"operation":[117,247,261,265,277,280],"operational":[50,277],"operations":[36,87,119,144,147,155,202,280],"oppression":[217,279]});
